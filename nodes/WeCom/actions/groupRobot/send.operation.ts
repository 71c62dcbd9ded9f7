import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { messageTypeProperties } from '../../../shared/actions/messageTypes';
import { optionsProperty, ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { createValidationError } from '../../../shared/errors';
import { postToRobot, uploadToRobot } from '../../../shared/robot/client';
import { maxRobotWaitOption, readMaxRobotWaitMs } from '../../../shared/robot/sendOptions';
import { weComRobot } from '../../platform/robot';
import type { RobotFile } from './message';
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
	upload?: RobotFile;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	const value = read.option<string>('messageType', 'text');
	const type = ROBOT_MESSAGE_TYPES.find((candidate) => candidate.value === value);
	if (!type) {
		throw createValidationError(this.getNode(), `Unknown message type '${value}'`, { itemIndex });
	}
	return {
		body: await type.build(read, this),
		maxWaitMs: readMaxRobotWaitMs(read),
		...(type.upload ? { upload: await type.upload(read, this) } : {}),
	};
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	let body = input.body;
	if (input.upload) {
		const mediaId = await uploadToRobot(this, { robot: weComRobot, itemIndex, ...input.upload });
		body = { msgtype: input.upload.type, [input.upload.type]: { media_id: mediaId } };
	}
	const posted = await postToRobot(this, {
		robot: weComRobot,
		body,
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
