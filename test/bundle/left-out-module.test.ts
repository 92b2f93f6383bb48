// The module the bundle puts in place of Socket Mode, OAuth, Express and raw-body, loaded as Bolt loads them.
const leftOut = require('../../bundle/left-out-module.js') as Record<string, unknown>;

describe('the left-out module', () => {
  it('looks like a plain CommonJS module to interop helpers and promise checks', () => {
    // Act
    const markers = [leftOut.__esModule, leftOut.then];

    // Assess
    expect(markers).toEqual([undefined, undefined]);
  });

  it('throws a LeftOutModuleError naming the export when one is constructed', () => {
    // Prepare
    const SocketModeClient = leftOut.SocketModeClient as new () => unknown;

    // Act
    const construct = () => new SocketModeClient();

    // Assess
    expect(construct).toThrow(
      expect.objectContaining({
        name: 'LeftOutModuleError',
        message: expect.stringContaining('new SocketModeClient()'),
      }),
    );
  });

  it('throws a LeftOutModuleError naming the export when one is called', () => {
    // Prepare
    const rawBody = leftOut.default as () => unknown;

    // Act
    const call = () => rawBody();

    // Assess
    expect(call).toThrow(
      expect.objectContaining({ name: 'LeftOutModuleError', message: expect.stringContaining('default()') }),
    );
  });
});
