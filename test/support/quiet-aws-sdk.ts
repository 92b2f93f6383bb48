/**
 * Jest setup: the AWS SDK warns once per test file that it will need Node 22 from 2027. Lambda runs 22 already, and
 * `npm start` silences the same warning (local/console.ts), so the tests do too to keep their output readable.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
