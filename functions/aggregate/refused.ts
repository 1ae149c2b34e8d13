import { MshtError } from '../shared/errors.ts';

/** A month that has not started cannot be aggregated: nothing is published. */
export class MonthNotStartedError extends MshtError {
  constructor(message: string) {
    super('MONTH_IN_FUTURE', message);
  }
}

/** A month with no counted upload is not published unless asked (`allowEmpty`). */
export class MonthEmptyError extends MshtError {
  constructor(message: string) {
    super('MONTH_EMPTY', message);
  }
}
