// Time values of AnyLog commands: `N`, `N second[s]`, `N minute[s]`,
// `N hour[s]`, `N day[s]`; a bare N means seconds. Pure helpers shared by `where` parsing, the scheduler,
// `run blockchain sync`, `wait` and REST timeouts.

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
  day: 86400,
  days: 86400,
};

/**
 * Parse a time value to seconds. Accepts the words joined or separate (`30 seconds`, `30seconds` is not
 * accepted). Returns undefined when the text is not a time value. Fractions are allowed (`1.5 minutes`).
 */
export function parseTimeValue(text: string): number | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length === 0 || parts.length > 2) return undefined;
  const [amountText = '', unitText] = parts;
  if (!/^\d+(\.\d+)?$/.test(amountText)) return undefined;
  const amount = Number(amountText);
  if (unitText === undefined) return amount;
  const factor = UNIT_SECONDS[unitText.toLowerCase()];
  return factor === undefined ? undefined : amount * factor;
}

/** `h:m:s` without zero padding (`0:0:15`, `0:1:0`, `24:0:0`), as `get scheduler` shows repeats. */
export function formatRepeat(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${m}:${s}`;
}
