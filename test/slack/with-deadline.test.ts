import { createDeadline, DeadlineError } from '../../src/slack/with-deadline';

describe('createDeadline', () => {
  it('shares one budget between steps when time has passed since it started', () => {
    // Prepare
    let clock = 1000;
    const deadline = createDeadline(2500, {}, () => clock);

    // Act
    clock += 1800;
    const afterFirstStep = deadline.remainingMs();
    clock += 1000;
    const afterSecondStep = deadline.remainingMs();

    // Assess
    expect(afterFirstStep).toBe(700);
    expect(afterSecondStep).toBe(0);
  });

  it('counts the budget from the arrival when the request arrived before the deadline was made', () => {
    // Prepare
    const clock = 5000;

    // Act
    const deadline = createDeadline(2500, { arrivedAt: 3800 }, () => clock);

    // Assess
    expect(deadline.remainingMs()).toBe(1300);
  });

  it('counts the budget from now when the arrival lies ahead of the clock', () => {
    // Prepare
    const clock = 5000;

    // Act
    const deadline = createDeadline(2500, { arrivedAt: 5400 }, () => clock);

    // Assess
    expect(deadline.remainingMs()).toBe(2500);
  });

  it('rejects at once with a DeadlineError naming the service and step when the budget is spent', async () => {
    // Prepare
    let clock = 0;
    const deadline = createDeadline(100, {}, () => clock);
    clock = 100;
    const never = new Promise<string>(() => {});

    // Act
    const raced = deadline.race(never, 'vCR', 'filling in the form');

    // Assess
    await expect(raced).rejects.toBeInstanceOf(DeadlineError);
    await expect(raced).rejects.toMatchObject({
      name: 'DeadlineError',
      service: 'vCR',
      step: 'filling in the form',
      message: 'vCR did not answer in time while filling in the form',
    });
  });

  it('resolves with the step’s result when the step settles first', async () => {
    // Prepare
    const deadline = createDeadline(60_000);

    // Act
    const result = await deadline.race(Promise.resolve('done'), 'Slack', 'opening the form');

    // Assess
    expect(result).toBe('done');
  });

  it('rejects with the step’s own error when the step fails first', async () => {
    // Prepare
    const deadline = createDeadline(60_000);
    const failure = new Error('views.open failed');

    // Act
    const raced = deadline.race(Promise.reject(failure), 'Slack', 'opening the form');

    // Assess
    await expect(raced).rejects.toBe(failure);
  });
});
