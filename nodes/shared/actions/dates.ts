import { createValidationError } from '../errors';
import type { ParameterReader } from './parameters';

/**
 * Dates users enter for platform forms: typed as "2026-12-03" or "2026-12-03 09:30" (taken as the
 * wall-clock date and time they show), or as instants (ISO text with a zone, milliseconds, n8n's
 * $now and other date objects), which are read in the workflow's time zone. No date library can
 * be shipped, so the time zone is applied with Intl.
 */
export interface WallTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
}

const LOCAL = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?$/;

function valid(w: WallTime): WallTime | undefined {
	const check = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
	return check.getUTCFullYear() === w.year &&
		check.getUTCMonth() === w.month - 1 &&
		check.getUTCDate() === w.day &&
		w.hour < 24 &&
		w.minute < 60
		? w
		: undefined;
}

/** The wall-clock date and time of an instant in a time zone. */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
	}).formatToParts(instant);
	const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return {
		year: part('year'),
		month: part('month'),
		day: part('day'),
		hour: part('hour'),
		minute: part('minute'),
	};
}

/** The instant a wall-clock time in a time zone stands for (to the minute). */
export function instantOf(wall: WallTime, timeZone: string): Date {
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
	// The zone's offset at that moment, found by reading the guess back; twice covers DST edges.
	let guess = asUtc;
	for (let i = 0; i < 2; i++) {
		const seen = wallTimeAt(new Date(guess), timeZone);
		const seenUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
		guess += asUtc - seenUtc;
	}
	return new Date(guess);
}

/** A date the user entered, as a wall-clock time in the time zone, or undefined when it is none. */
export function wallTimeOf(value: unknown, timeZone: string): WallTime | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		const local = LOCAL.exec(trimmed);
		if (local) {
			return valid({
				year: Number(local[1]),
				month: Number(local[2]),
				day: Number(local[3]),
				hour: Number(local[4] ?? 0),
				minute: Number(local[5] ?? 0),
			});
		}
		if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
		const instant = new Date(trimmed);
		return Number.isNaN(instant.getTime()) ? undefined : wallTimeAt(instant, timeZone);
	}
	if (typeof value === 'number' && Number.isFinite(value))
		return wallTimeAt(new Date(value), timeZone);
	if (value instanceof Date && !Number.isNaN(value.getTime())) return wallTimeAt(value, timeZone);
	// n8n's date objects ($now, DateTime from expressions) turn into ISO text.
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	)
		return wallTimeOf(String((value as { toISO: () => string }).toISO()), timeZone);
	return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-03", or "2026-12-03 09:30" with the time. */
export function formatWallTime(wall: WallTime, withTime: boolean): string {
	const date = `${wall.year}-${pad(wall.month)}-${pad(wall.day)}`;
	return withTime ? `${date} ${pad(wall.hour)}:${pad(wall.minute)}` : date;
}

/**
 * A date-time parameter (Get Many ranges) as an instant in milliseconds: n8n's date picker saves a
 * time without a zone, which is read in the workflow's time zone, not the server's.
 */
export function readInstant(
	read: ParameterReader,
	name: string,
	displayName: string,
	timeZone: string,
): number | undefined {
	const raw = read.raw(name, '');
	if (raw === '' || raw === null || raw === undefined) return undefined;
	const wall = wallTimeOf(raw, timeZone);
	if (!wall) {
		throw createValidationError(
			read.node,
			`'${displayName}' is not a date and time: ${JSON.stringify(raw)}`,
			{
				itemIndex: read.itemIndex,
				description: 'Pick a date, or map an ISO date such as 2026-12-01T09:00:00+08:00.',
			},
		);
	}
	return instantOf(wall, timeZone).getTime();
}
