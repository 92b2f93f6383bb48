/**
 * What the Lambda bundle has in place of the modules Bolt loads but the Lambda path never runs: Socket Mode (and its
 * undici), OAuth, Express and raw-body (docs/decisions/0013-lean-cold-start.md). Bolt's receivers `require` them
 * when the bundle loads and touch them only when such a receiver is built, so loading works; any real use throws a
 * `LeftOutModuleError` that says what happened, instead of failing somewhere deep inside Bolt. CommonJS on purpose:
 * Bolt `require`s these modules and must get this object itself, not an ES module namespace around it.
 */

/** A module left out of the Lambda bundle was used after all. */
class LeftOutModuleError extends Error {
  name = 'LeftOutModuleError';

  /** @param {string} what the export that was called or constructed */
  constructor(what) {
    super(
      `${what} was used, but Socket Mode, OAuth, Express and raw-body are left out of the Lambda bundle ` +
        '(docs/decisions/0013-lean-cold-start.md)',
    );
  }
}

/** @param {string} name */
const exportNamed = (name) =>
  // A function target, so that both calling it and `new` reach the traps.
  new Proxy(function leftOut() {}, {
    apply() {
      throw new LeftOutModuleError(`${name}()`);
    },
    construct() {
      throw new LeftOutModuleError(`new ${name}()`);
    },
  });

// Every export, whatever its name, refuses to run. `__esModule` and `then` stay undefined so that CommonJS interop
// helpers and promise checks see a plain module object, as they do while the bundle loads.
module.exports = new Proxy(
  {},
  {
    get: (_, key) => (typeof key === 'symbol' || key === '__esModule' || key === 'then' ? undefined : exportNamed(key)),
  },
);
