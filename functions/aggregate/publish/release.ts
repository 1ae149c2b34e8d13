import {
  DEFAULT_PUBLICATION_SETTINGS,
  nextReleaseDate,
  type PublicationSettings,
} from '../../../schemas/aggregate/publication.ts';
import type { Month } from '../month.ts';

/**
 * The release metadata of a bulletin (report.html and national.xlsx): when its data were cut off and it
 * was published, when the next one is due, who to contact and the methods notes. None of it is in
 * national.json: the run id is a digest of the figures, and a clock time there would give unchanged
 * figures a new run id on every run. A re-run that changes no figure writes nothing new (same run id),
 * so a bulletin keeps the cut-off and publication date of the run that first published its figures.
 */
export interface ReleaseInfo {
  /** When the run read the upload ledger (ISO date-time): uploads after it are not in the figures. */
  readonly dataCutOff?: string;
  /** The publication date, `YYYY-MM-DD`. */
  readonly publishedOn?: string;
  /** The release date of the next month's bulletin, `YYYY-MM-DD` (from the aggregation's schedule). */
  readonly nextRelease?: string;
  readonly publication: PublicationSettings;
}

/** A bulletin's release metadata when the caller gives none (tests, tools): no dates, default contact. */
export const UNDATED_RELEASE: ReleaseInfo = { publication: DEFAULT_PUBLICATION_SETTINGS };

/** The release metadata of a run of `month` that read the ledger at `cutOff` and publishes at `now`. */
export const releaseInfo = (input: {
  readonly month: Month;
  readonly cutOff: Date;
  readonly now: Date;
  readonly schedule?: string;
  readonly publication?: PublicationSettings;
}): ReleaseInfo => {
  const next = input.schedule === undefined ? undefined : nextReleaseDate(input.month, input.schedule);
  return {
    dataCutOff: input.cutOff.toISOString(),
    publishedOn: input.now.toISOString().slice(0, 10),
    ...(next === undefined ? {} : { nextRelease: next }),
    publication: input.publication ?? DEFAULT_PUBLICATION_SETTINGS,
  };
};
