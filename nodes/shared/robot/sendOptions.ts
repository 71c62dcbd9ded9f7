import type { INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../actions/parameters';

/** The robot send's own bound on waiting for the robot's per-minute limit. */
export const maxRobotWaitOption: INodeProperties = {
	displayName: 'Max Wait for the Robot (Seconds)',
	name: 'maxWaitSeconds',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 3600 },
	default: 60,
	description:
		'How long a message may wait when the robot already got 20 messages in the last minute (0 to 3600, default 60). Longer waits fail the item with the time the robot takes the next message.',
};

export const readMaxRobotWaitMs = (read: ParameterReader): number =>
	read.integer('options.maxWaitSeconds', 'Max Wait for the Robot (Seconds)', {
		min: 0,
		max: 3600,
		fallback: 60,
	}) * 1000;
