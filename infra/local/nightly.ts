/**
 * The local stack's stand-in for EventBridge Scheduler (SPEC §5, §8): a timer
 * that fires at 02:00 Asia/Shanghai and runs the report for the previous day,
 * derived from the scheduled instant exactly as the AWS job does. Re-armed
 * after each run, failed or not; unref'd so it never keeps the process alive.
 */
import { type Clock, systemClock } from '../../shared/clock';
import { buildDeps, type Deps } from '../../shared/deps';
import { runNightly } from '../../shared/report/nightly';
import { nextNightlyRun, reportDateFor } from '../../shared/report/schedule';

export interface NightlySchedule {
  /** When the timer fires next (ISO UTC), or null once stopped. */
  nextAt(): string | null;
  stop(): void;
}

const defaultOnError = (date: string, e: unknown) =>
  console.error(`huzhu: nightly report for ${date} failed: ${e instanceof Error ? e.message : String(e)}`);

export const scheduleNightly = (
  run: (date: string) => Promise<void>,
  clock: Clock = systemClock,
  onError: (date: string, e: unknown) => void = defaultOnError,
): NightlySchedule => {
  let timer: NodeJS.Timeout | undefined;
  let next: Date | null = null;
  let stopped = false;

  const arm = (after: Date) => {
    if (stopped) return;
    const at = nextNightlyRun(after);
    next = at;
    timer = setTimeout(() => void fire(at), Math.max(0, at.getTime() - clock.now().getTime()));
    timer.unref();
  };

  const fire = async (at: Date) => {
    // A timer may fire a little early (clock adjustments): wait for the real time rather than report the wrong day.
    if (clock.now().getTime() < at.getTime()) {
      timer = setTimeout(() => void fire(at), at.getTime() - clock.now().getTime());
      timer.unref();
      return;
    }
    const date = reportDateFor(at.toISOString());
    try {
      await run(date);
    } catch (e) {
      onError(date, e);
    }
    // Never the same firing twice, even if the run took no time at all.
    arm(new Date(Math.max(clock.now().getTime(), at.getTime())));
  };

  arm(clock.now());
  return {
    nextAt: () => (stopped || !next ? null : next.toISOString()),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
};

/**
 * What the local stack schedules: the AWS job's own report code against the
 * local emulators (deps built from the environment stack.ts has set), e.g.
 * `const nightly = scheduleNightly(localNightlyReport());` and `nightly.stop()` on shutdown.
 */
export const localNightlyReport =
  (getDeps: () => Deps = () => buildDeps()) =>
  async (date: string): Promise<void> => {
    const s = await runNightly(getDeps(), date, (m, f) => console.warn(`huzhu: nightly ${m}`, JSON.stringify(f)));
    console.log(`huzhu: nightly report ${s.date}: ${s.plans} plans, ${s.nodes} nodes in ${(s.ms / 1000).toFixed(1)} s`);
  };
