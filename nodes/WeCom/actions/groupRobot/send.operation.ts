import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { messageTypeProperties } from '../../../shared/actions/messageTypes';
import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { postToRobot } from '../../../shared/robot/client';
import { maxRobotWaitOption, readMaxRobotWaitMs } from '../../../shared/robot/sendOptions';
import { weComRobot } from '../../platform/robot';
import { ROBOT_MESSAGE_TYPES } from './message';

export const option = {
	name: 'Send',
	value: 'send',
	action: 'Send a message to a group robot',
	description: 'Post a message to a WeCom group through its robot (群机器人)',
};

export const description: INodeProperties[] = [
	...messageTypeProperties(ROBOT_MESSAGE_TYPES, 'text'),
	optionsProperty([maxRobotWaitOption]),
];

export const writes = true;

interface Input {
	body: IDataObject;
	maxWaitMs: number;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const value = read.option<string>('messageType', 'text');
	const type = ROBOT_MESSAGE_TYPES.find((candidate) => candidate.value === value);
	if (!type) {
		throw createValidationError(this.getNode(), `Unknown message type '${value}'`, { itemIndex });
	}
	return { body: await type.build(read, this), maxWaitMs: readMaxRobotWaitMs(read) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const posted = await postToRobot(this, {
		robot: weComRobot,
		body: input.body,
		itemIndex,
		maxWaitMs: input.maxWaitMs,
	});
	return {
		json: {
			posted: true,
			msgtype: input.body.msgtype as string,
			waitedMs: posted.waitedMs,
			...(posted.attempts > 1 ? { attempts: posted.attempts } : {}),
		},
	};
}
