import { shanghaiToday } from './domain/dates';

/**
 * The one source of "now". Handlers get it from their deps; rules receive
 * dates as arguments. Tests inject a fixed clock.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

/** "Today" per SPEC §3: the Asia/Shanghai calendar date at the time of the request. */
export const todayIn = (clock: Clock): string => shanghaiToday(clock.now());
