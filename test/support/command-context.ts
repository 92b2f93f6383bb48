/** Builds a real `CommandContext` for command tests: the vCR client over HTTP against the in-process emulator. */

import { randomBytes, randomUUID } from 'node:crypto';
import { startVcrEmulator, type VcrEmulator, type VcrEmulatorOptions } from '../../local/emulator/vcr-emulator';
import type { Actor, CommandContext } from '../../src/commands/command';
import { createPolicyResolver } from '../../src/commands/policies';
import { createLogger, type Logger } from '../../src/logger';
import { createVcrClient } from '../../src/vcr/client';
import { createTokenProvider } from '../../src/vcr/token';
import { createMemoryOperationStore } from './memory-operation-store';
import {
  createMemoryAuditSink,
  createMemoryAuditStore,
  createMemoryCleanupRulesStore,
  createMemoryFreezeStore,
} from './memory-records';

/** A running emulator plus a context factory; call `close()` in afterAll. */
export interface CommandHarness {
  emulator: VcrEmulator;
  operations: ReturnType<typeof createMemoryOperationStore>;
  audit: ReturnType<typeof createMemoryAuditStore>;
  freeze: ReturnType<typeof createMemoryFreezeStore>;
  cleanupRules: ReturnType<typeof createMemoryCleanupRulesStore>;
  logs: string[];
  logger: Logger;
  context(actor?: Partial<Actor>): CommandContext;
  close(): Promise<void>;
}

/** Starts an emulator with its demo seed and returns a harness building contexts against it. */
export async function startCommandHarness(options: VcrEmulatorOptions = {}): Promise<CommandHarness> {
  const emulator = await startVcrEmulator({
    port: 0,
    clientId: `test-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
    ...options,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const tokens = createTokenProvider({
    iamUrl: emulator.iamUrl,
    credentials: async () => ({ clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
  });
  const vcr = createVcrClient({ baseUrl: emulator.url, tokens, timeoutMs: 5000, backoffMs: 1 });
  const policies = createPolicyResolver(vcr);
  const operations = createMemoryOperationStore();
  const audit = createMemoryAuditStore();
  const freeze = createMemoryFreezeStore();
  const cleanupRules = createMemoryCleanupRulesStore();
  const auditSink = createMemoryAuditSink(audit);
  return {
    emulator,
    operations,
    audit,
    freeze,
    cleanupRules,
    logs,
    logger,
    context: (actor = {}) => ({
      vcr,
      policies,
      operations,
      audit: auditSink,
      auditLog: audit,
      freezeStore: freeze,
      freeze: { current: () => freeze.read() },
      cleanup: { protect: ['latest'], rules: cleanupRules },
      // Each context is a run of its own, as each job is: its writes to the store carry a fresh token.
      writer: { jobId: randomUUID(), token: randomUUID() },
      deadlineAt: Date.now() + 50_000,
      actor: { userId: 'U0OPERATOR', role: 'operator', channelId: 'C0CHANNEL', ...actor },
      logger,
      now: Date.now,
      slashCommand: '/vcr',
      health: { slack: async () => {}, iam: async () => void (await tokens.getToken()) },
    }),
    close: () => emulator.close(),
  };
}
