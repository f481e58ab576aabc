/** Thrown when scanning runs over its time budget. */
export class BudgetExceededError extends Error {
  constructor() {
    super('secret scanning exceeded its time budget');
    this.name = 'BudgetExceededError';
  }
}

/** Throws {@link BudgetExceededError} once `deadline` (a `performance.now()` value) has passed. */
export function checkDeadline(deadline: number): void {
  if (performance.now() > deadline) throw new BudgetExceededError();
}
