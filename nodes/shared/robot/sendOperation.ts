import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { MessageType } from '../actions/messageTypes';
import { chosenMessageType, messageTypeProperties } from '../actions/messageTypes';
import { optionsProperty, ParameterReader } from '../actions/parameters';
import type { OperationModule, OperationResult } from '../actions/types';
import { postToRobot, uploadToRobot } from './client';
import type { RobotUpload } from './client';
import { maxRobotWaitOption, readMaxRobotWaitMs } from './sendOptions';
import type { RobotProfile } from './webhook';

/** A file the robot's own upload takes first; its media_id then goes into the message. */
export type RobotFile = Pick<RobotUpload, 'type' | 'data' | 'fileName' | 'mimeType'>;

/** One robot message type: its fields and body, and for files what to upload first. */
export interface RobotMessageType
	extends Pick<MessageType, 'value' | 'name' | 'description' | 'fields'> {
	build(read: ParameterReader, ctx: IExecuteFunctions): IDataObject | Promise<IDataObject>;
	upload?(read: ParameterReader, ctx: IExecuteFunctions): Promise<RobotFile>;
}

export interface RobotSendInput {
	body: IDataObject;
	maxWaitMs: number;
	upload?: RobotFile;
}

/**
 * The Group Robot → Send operation of a platform, from its robot profile and message-type table:
 * the same fields, checks, upload and posting for both platforms.
 */
export function robotSendOperation(
	robot: RobotProfile,
	types: RobotMessageType[],
	option: { description: string },
): OperationModule<RobotSendInput> {
	const description: INodeProperties[] = [
		...messageTypeProperties(types, 'text'),
		optionsProperty([maxRobotWaitOption]),
	];
	return {
		option: {
			name: 'Send',
			value: 'send',
			action: 'Send a message to a group robot',
			description: option.description,
		},
		description,
		writes: true,
		async prepare(this: IExecuteFunctions, itemIndex: number): Promise<RobotSendInput> {
			const read = new ParameterReader(this, itemIndex);
			const type = chosenMessageType(types, read);
			return {
				body: await type.build(read, this),
				maxWaitMs: readMaxRobotWaitMs(read),
				...(type.upload ? { upload: await type.upload(read, this) } : {}),
			};
		},
		async execute(
			this: IExecuteFunctions,
			input: RobotSendInput,
			itemIndex: number,
		): Promise<OperationResult> {
			let body = input.body;
			if (input.upload) {
				const mediaId = await uploadToRobot(this, { robot, itemIndex, ...input.upload });
				body = { msgtype: input.upload.type, [input.upload.type]: { media_id: mediaId } };
			}
			const posted = await postToRobot(this, {
				robot,
				body,
				itemIndex,
				maxWaitMs: input.maxWaitMs,
			});
			return {
				json: {
					posted: true,
					msgtype: body.msgtype as string,
					waitedMs: posted.waitedMs,
					...(posted.attempts > 1 ? { attempts: posted.attempts } : {}),
				},
			};
		},
	};
}
