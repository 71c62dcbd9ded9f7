import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod';

import type { MessageType } from '../actions/messageTypes';
import { chosenMessageType, messageTypeProperties } from '../actions/messageTypes';
import { optionsProperty, ParameterReader } from '../actions/parameters';
import type { OperationModule, OperationResult } from '../actions/types';
import type { ItemFile } from '../actions/binaryInput';
import { readBinaryFieldName, readItemFile } from '../actions/binaryInput';
import { postToRobot, uploadToRobot } from './client';
import { maxRobotWaitOption, readMaxRobotWaitMs } from './sendOptions';
import type { RobotProfile } from './webhook';

/**
 * A message type whose content is a file from the item's binary data. The file is checked while
 * the items are prepared (so a bad one fails before anything is posted) and read again when its
 * item is sent, so a run holds one file at a time, not every item's.
 */
export interface RobotBinaryMessage {
	/** Refuses a file the platform would not take, naming the item and the field. */
	check(file: ItemFile, read: ParameterReader): void;
	/** The message with the file inline (WeCom's image), or the type to upload it as first. */
	message: ((file: ItemFile) => IDataObject) | { upload: string };
}

/** One robot message type: its fields and body, or for files how the file becomes the message. */
export interface RobotMessageType
	extends Pick<MessageType, 'value' | 'name' | 'description' | 'fields'> {
	build?(read: ParameterReader): IDataObject;
	binary?: RobotBinaryMessage;
}

export interface RobotSendInput {
	/** The message, or where its file is for the type that makes one of it. */
	body?: IDataObject;
	file?: { field: string; binary: RobotBinaryMessage };
	maxWaitMs: number;
}

/**
 * The Group Robot → Send operation of a platform, from its robot profile and message-type table:
 * the same fields, checks, upload and posting for both platforms.
 */
export function robotSendOperation(
	robot: RobotProfile,
	types: RobotMessageType[],
	option: { description: string; leadingFields?: INodeProperties[]; fields?: INodeProperties[] },
): OperationModule<RobotSendInput> {
	const fileMessage = async (
		ctx: IExecuteFunctions,
		file: NonNullable<RobotSendInput['file']>,
		itemIndex: number,
	): Promise<IDataObject> => {
		const content = await readItemFile(ctx, itemIndex, file.field);
		// Checked again: the item's binary data may have been replaced since it was prepared.
		file.binary.check(content, new ParameterReader(ctx, itemIndex));
		const { message } = file.binary;
		if (typeof message === 'function') return message(content);
		const type = message.upload;
		const mediaId = await uploadToRobot(ctx, {
			robot,
			itemIndex,
			type,
			data: content.data,
			fileName: content.fileName,
			mimeType: content.mimeType,
		});
		return { msgtype: type, [type]: { media_id: mediaId } };
	};
	const description: INodeProperties[] = [
		...(option.leadingFields ?? []),
		...messageTypeProperties(types, 'text'),
		...(option.fields ?? []),
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
		appQuota: false,
		// The robot takes 20 messages a minute whatever runs at once; two in flight keep it busy and
		// hold at most two files in memory.
		concurrency: 2,
		async prepare(this: IExecuteFunctions, itemIndex: number): Promise<RobotSendInput> {
			const read = new ParameterReader(this, itemIndex);
			const type = chosenMessageType(types, read);
			const maxWaitMs = readMaxRobotWaitMs(read);
			if (!type.binary) return { body: type.build?.(read) ?? {}, maxWaitMs };
			const file = await readItemFile(this, itemIndex, readBinaryFieldName(read));
			type.binary.check(file, read);
			return { file: { field: file.field, binary: type.binary }, maxWaitMs };
		},
		async execute(
			this: IExecuteFunctions,
			input: RobotSendInput,
			itemIndex: number,
		): Promise<OperationResult> {
			const body = input.file ? await fileMessage(this, input.file, itemIndex) : (input.body ?? {});
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

const customJson = z
	.object({ msgtype: z.string().trim().min(1, 'must not be empty') })
	.passthrough();

/** The Custom JSON message type both robots offer: any body from the platform's docs, as given. */
export const customJsonMessageType = (description: string): RobotMessageType => ({
	value: 'customJson',
	name: 'Custom JSON',
	description,
	fields: [
		{
			displayName: 'Message JSON',
			name: 'messageJson',
			type: 'json',
			default: '{\n  "msgtype": "text",\n  "text": { "content": "Hello" }\n}',
		},
	],
	build: (read) => read.json('messageJson', 'Message JSON', customJson) as IDataObject,
});
