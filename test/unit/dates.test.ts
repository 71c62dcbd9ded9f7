import { formatWallTime, instantOf, wallTimeOf } from '../../nodes/shared/actions/dates';

describe('dates users enter for platform forms', () => {
	it('takes typed dates and times as the wall-clock values they show', () => {
		expect(formatWallTime(wallTimeOf('2026-12-03', 'America/New_York')!, false)).toBe('2026-12-03');
		expect(formatWallTime(wallTimeOf('2026-12-03 9:05', 'UTC')!, true)).toBe('2026-12-03 09:05');
		expect(formatWallTime(wallTimeOf('2026-12-03T23:30', 'Asia/Shanghai')!, true)).toBe(
			'2026-12-03 23:30',
		);
	});

	it('reads instants (zoned ISO text, milliseconds, date objects) in the time zone', () => {
		const instant = '2026-11-30T18:00:00Z';
		expect(formatWallTime(wallTimeOf(instant, 'Asia/Shanghai')!, true)).toBe('2026-12-01 02:00');
		expect(formatWallTime(wallTimeOf(Date.parse(instant), 'UTC')!, true)).toBe('2026-11-30 18:00');
		expect(formatWallTime(wallTimeOf(new Date(instant), 'America/New_York')!, true)).toBe(
			'2026-11-30 13:00',
		);
		const luxonLike = { toISO: () => '2026-11-30T10:00:00.000+08:00' };
		expect(formatWallTime(wallTimeOf(luxonLike, 'Asia/Shanghai')!, false)).toBe('2026-11-30');
	});

	it('refuses what is no date, and impossible dates', () => {
		for (const value of [
			'next monday',
			'2026-02-30',
			'2026-13-01',
			'2026-12-03 24:00',
			'',
			{},
			null,
		]) {
			expect(wallTimeOf(value, 'UTC')).toBeUndefined();
		}
	});

	it('turns a wall-clock time back into its instant, also across a DST change', () => {
		expect(instantOf(wallTimeOf('2026-12-03 09:00', 'UTC')!, 'Asia/Shanghai').toISOString()).toBe(
			'2026-12-03T01:00:00.000Z',
		);
		// New York: 2026-03-08 is the day clocks go forward; 03:30 is EDT (UTC-4).
		expect(
			instantOf(wallTimeOf('2026-03-08 03:30', 'UTC')!, 'America/New_York').toISOString(),
		).toBe('2026-03-08T07:30:00.000Z');
	});
});
