/** A refusal the emulator answers with `status` and `{"message": message}`, the body shape vCR errors are read from. */
export class EmulatorHttpError extends Error {
  override name = 'EmulatorHttpError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
