import type { INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from '../actions/parameters';

/** The robot send's own bound on waiting for the robot's per-minute limit. */
export const maxRobotWaitOption: INodeProperties = {
	displayName: 'Max Wait for the Robot (Seconds)',
	name: 'maxWaitSeconds',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 3600 },
	default: 120,
	description:
		'How long a message may wait for the robot (0 to 3600, default 120): for its 20 messages a minute, or for a throttle the platform imposed (WeCom about a minute, DingTalk 10 minutes). Longer waits fail the item with the time the robot takes the next message.',
};

export const readMaxRobotWaitMs = (read: ParameterReader): number =>
	read.integer('options.maxWaitSeconds', 'Max Wait for the Robot (Seconds)', {
		min: 0,
		max: 3600,
		fallback: 120,
	}) * 1000;
