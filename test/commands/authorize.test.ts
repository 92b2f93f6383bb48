import { authorize } from '../../src/commands/authorize';
import { loadConfig } from '../../src/config';
import { UserError } from '../../src/errors';
import { createApproverCheck, createRoleResolver } from '../../src/policy/roles';

const users = { alice: 'U0ALICE', bob: 'U0BOB', carol: 'U0CAROL', dave: 'U0DAVE' } as const;

/** Admission with alice an operator, bob and carol admins, dave a viewer, and `approvers` as VCR_APPROVERS. */
function admission(approvers: string[]) {
  const config = loadConfig({
    SLACK_SIGNING_SECRET: 'signing',
    SLACK_BOT_TOKEN: 'token',
    VCR_ACCESS_TOKEN: 'access',
    VCR_VIEWERS: users.dave,
    VCR_OPERATORS: users.alice,
    VCR_ADMINS: `${users.bob},${users.carol}`,
  });
  const roles = createRoleResolver({ roles: config.roles, groupMembers: async () => [], ttlMs: 60_000 });
  const groups: Record<string, string[]> = { S0LEADS: [users.dave] };
  const check = createApproverCheck({ approvers, groupMembers: async (id) => groups[id] ?? [], ttlMs: 60_000 });
  return (userId: string, choice: 'approve' | 'reject' | 'cancel', requestedBy: string = users.alice) =>
    authorize(
      {
        config,
        roles,
        approvers: check,
        freeze: { current: async () => undefined },
        audit: { record: async () => undefined },
      },
      { userId, surface: 'click', commandId: 'repo.delete', decision: { requestedBy, choice } },
    );
}

describe('authorize, for approvals', () => {
  it('admits an approver who is not the requester to approve and to reject', async () => {
    // Prepare
    const admit = admission([users.bob]);

    // Act
    const approved = await admit(users.bob, 'approve');
    const rejected = await admit(users.bob, 'reject');

    // Assess
    expect(approved.actor).toMatchObject({ userId: users.bob, role: 'admin' });
    expect(rejected.spec?.id).toBe('repo.delete');
  });

  it('refuses the requester even when they are an approver', async () => {
    // Prepare
    const admit = admission([users.bob]);

    // Act
    const approve = admit(users.bob, 'approve', users.bob);

    // Assess
    await expect(approve).rejects.toThrow(UserError);
    await expect(approve).rejects.toThrow('someone else must approve it');
  });

  it('refuses an admin who is not in VCR_APPROVERS', async () => {
    // Prepare
    const admit = admission([users.bob]);

    // Act
    const approve = admit(users.carol, 'approve');

    // Assess
    await expect(approve).rejects.toThrow('Only an approver can approve');
  });

  it('admits a viewer an approver group holds, since the approver list decides alone', async () => {
    // Prepare
    const admit = admission(['S0LEADS']);

    // Act
    const admitted = await admit(users.dave, 'approve');

    // Assess
    expect(admitted.actor).toMatchObject({ userId: users.dave, role: 'viewer' });
  });

  it('keeps the requester-or-admin rule for Cancel', async () => {
    // Prepare
    const admit = admission([users.dave]);

    // Act
    const cancel = admit(users.dave, 'cancel');

    // Assess
    await expect(cancel).rejects.toThrow(UserError);
  });
});
