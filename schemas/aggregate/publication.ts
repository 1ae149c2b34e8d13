import { z } from 'zod';
import { type IsoMonth, IsoMonthSchema } from '../common/dates.ts';

/**
 * What the monthly bulletin (report.html and national.xlsx of both tiers) says about who publishes it
 * and how: the stage setting `aggregation.publication` (infra/config.ts), read by the aggregation as
 * `MSHT_AGGREGATE_PUBLICATION`. The next release date comes from the aggregation's schedule
 * (`nextReleaseDate`), not from here, so the two cannot disagree.
 */
export const PublicationSettingsSchema = z.strictObject({
  /** Who produces the statistics, e.g. "National MSHT analysis team". */
  producer: z.string().min(1).max(200),
  contact: z.strictObject({
    /** A team or role, never a person's name. */
    name: z.string().min(1).max(200),
    email: z.email(),
  }),
  /** Methods and quality notes, one paragraph each, shown in the bulletin and the spreadsheet's notes. */
  methodsNotes: z.array(z.string().min(1).max(2000)).max(20),
});
export type PublicationSettings = z.infer<typeof PublicationSettingsSchema>;

/** The defaults of every stage (infra/config.ts) and of a function whose environment does not set it. */
export const DEFAULT_PUBLICATION_SETTINGS: PublicationSettings = {
  producer: 'National modern slavery and human trafficking (MSHT) analysis team',
  contact: { name: 'National MSHT analysis team', email: 'msht-statistics@example.police.uk' },
  methodsNotes: [
    'Figures are compiled from the monthly returns that police forces and partner agencies submit to the ' +
      'national pipeline. A person reported by several organisations is counted once nationally.',
    'An organisation that sent no return for the month is shown as "not submitted", never as zero: its ' +
      'figures are missing, not nil. Late returns are included if they arrive before the data cut-off; ' +
      'returns after it lead to a revision of the month.',
    'These are management information figures from operational police systems, not National Statistics. ' +
      'They are provisional and may be revised.',
  ],
};

const DAY = /^\d{1,2}$/;

/**
 * The release date of the bulletin for the month after `month`, from the aggregation's schedule: for
 * `cron(M H D * ? *)` (a fixed day of every month) the day `D` of the second month after `month`, as
 * `YYYY-MM-DD`; undefined for any other schedule (a `rate(...)` or a cron that is not monthly on one day).
 */
export const nextReleaseDate = (month: IsoMonth, schedule: string): string | undefined => {
  IsoMonthSchema.parse(month);
  const fields = /^cron\((.+)\)$/.exec(schedule)?.[1]?.trim().split(/\s+/);
  if (fields === undefined || fields.length !== 6) return undefined;
  const [, , day, everyMonth] = fields as [string, string, string, string];
  if (!DAY.test(day) || everyMonth !== '*') return undefined;
  const [year, m] = month.split('-').map(Number) as [number, number];
  const release = new Date(Date.UTC(year, m + 1, Number(day)));
  // A day the month does not have (e.g. 31 in a 30-day month) is not a fixed monthly day.
  if (release.getUTCDate() !== Number(day)) return undefined;
  return release.toISOString().slice(0, 10);
};
