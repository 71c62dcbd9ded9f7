import { createHash, randomUUID } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { createApiError, redactSecrets } from '../errors';
import { settle } from '../settle';
import { checkBaseUrl, sendHttp, TransportError } from '../transport/http';
import { multipartBody } from '../transport/multipart';
import { runLimitsOf } from '../transport/runLimits';
import { RobotPacer, RobotWaitCancelled, RobotWaitExceeded } from './pacer';
import type { RobotProfile, RobotWebhook } from './webhook';
import { parseRobotWebhook } from './webhook';

/** One pacer for the whole n8n process: every item and execution posting to a robot shares it. */
export const robotPacer = new RobotPacer({ now: () => Date.now(), sleep });

const TIMEOUT_MS = 15_000;
/** Network failures after which the request may have reached the platform. */
const MAYBE_DELIVERED = new Set([
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNRESET',
	'ECONNABORTED',
	'EPIPE',
]);

export interface RobotPost {
	robot: RobotProfile;
	body: IDataObject;
	itemIndex: number;
	/** How long this post may wait for the robot's per-minute limit. */
	maxWaitMs: number;
}

export interface RobotPosted {
	waitedMs: number;
	attempts: number;
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

function configurationError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof TransportError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.description,
		});
	}
	return error;
}

interface Robot {
	credentials: IDataObject;
	webhook: RobotWebhook;
	url: string;
	secrets: string[];
	/** Robots are told apart by their webhook; a hash, so no token sits in memory twice. */
	key: string;
}

/** The robot of the item's credential, its send URL checked like any base URL. */
async function robotOf(
	ctx: IExecuteFunctions,
	robot: RobotProfile,
	itemIndex: number,
): Promise<Robot> {
	const node = ctx.getNode();
	const credentials = (await ctx.getCredentials(robot.credentialType, itemIndex)) as IDataObject;
	const webhook = parseRobotWebhook(credentials[robot.webhookField.name], robot);
	if (!webhook.token) {
		throw new NodeOperationError(node, `The ${robot.name} credential has no ${robot.tokenParam}`, {
			itemIndex,
			description: `Paste the robot's whole webhook URL from the group settings, or only its ${robot.tokenParam}, into '${robot.webhookField.displayName}'.`,
		});
	}
	const checked = await settle(
		Promise.resolve().then(() =>
			checkBaseUrl(webhook.sendUrl, {
				owner: `${robot.name} credential`,
				field: robot.webhookField.displayName,
			}),
		),
	);
	if (!checked.ok) throw configurationError(ctx, checked.error, itemIndex);
	return {
		credentials,
		webhook,
		url: checked.value,
		secrets: [webhook.token, ...robot.otherSecrets(credentials)].filter(Boolean),
		key: createHash('sha256').update(`${checked.value}|${webhook.token}`).digest('hex'),
	};
}

const cancelledBy = (ctx: IExecuteFunctions) => () =>
	ctx.getExecutionCancelSignal?.()?.aborted === true;

/**
 * Posts one message to a group robot: the robot's own token (and DingTalk's signature, made after
 * any wait), no app token, no redirects, secrets kept out of errors. Every answer's errcode is
 * checked; the platform's throttle answer is waited out within the same bound, then the post is
 * tried again. A post whose answer never came is repeated only when the platform de-duplicates
 * it; otherwise the error says it may have been posted.
 */
export async function postToRobot(ctx: IExecuteFunctions, post: RobotPost): Promise<RobotPosted> {
	const { robot, itemIndex } = post;
	const node = ctx.getNode();
	const target = await robotOf(ctx, robot, itemIndex);
	const path = new URL(target.url).pathname;
	const body = robot.idempotencyKey ? robot.idempotencyKey(post.body, randomUUID()) : post.body;
	const deadline = robotPacer.now() + post.maxWaitMs;
	const cancelled = cancelledBy(ctx);

	let waitedMs = 0;
	let attempts = 0;
	let timedOutBefore = false;
	// This run's figures, for the pacing hint and n8n's log.
	const stats = runLimitsOf(ctx)?.stats.robot;
	if (stats) stats.posts++;
	for (;;) {
		const slot = await settle(
			robotPacer.take(target.key, Math.max(0, deadline - robotPacer.now()), cancelled),
		);
		if (!slot.ok) {
			if (slot.error instanceof RobotWaitCancelled) {
				throw new NodeOperationError(
					node,
					'The execution was cancelled while the message waited for the robot',
					{
						itemIndex,
						description: timedOutBefore
							? 'An earlier try may have been posted.'
							: 'The message was not sent.',
					},
				);
			}
			const wait = slot.error as RobotWaitExceeded;
			const at = new Date(wait.nextAt).toISOString();
			throw new NodeOperationError(
				node,
				wait.throttled
					? `The ${robot.name} is throttled: it takes the next message in ${seconds(wait.waitMs)} (at ${at}), after Max Wait for the Robot (${seconds(post.maxWaitMs)})`
					: `The ${robot.name} already has ${robotPacer.perWindow} messages in the last minute: the next one may go out in ${seconds(wait.waitMs)} (at ${at}), after Max Wait for the Robot (${seconds(post.maxWaitMs)})`,
				{
					itemIndex,
					description: `${robot.throttle.rule} ${timedOutBefore ? 'An earlier try of this message got no answer and may have been posted (a repeat with the same message ID would not post it twice).' : 'This message was not sent.'} Raise 'Max Wait for the Robot' in the node's options to let it wait, or send fewer messages (for example one summary instead of one per item).`,
				},
			);
		}
		waitedMs += slot.value;
		attempts++;
		if (slot.value > 0 && stats) {
			if (waitedMs === slot.value) stats.waitedPosts++;
			stats.waitedMs += slot.value;
			stats.longestWaitMs = Math.max(stats.longestWaitMs, waitedMs);
		}
		const sent = await settle(
			sendHttp(
				ctx,
				{
					method: 'POST',
					url: target.url,
					qs: {
						[robot.tokenParam]: target.webhook.token,
						...(robot.signQuery?.(target.credentials, robotPacer.now()) ?? {}),
					},
					body,
					json: true,
					timeout: TIMEOUT_MS,
				},
				{ platform: robot.name, secrets: target.secrets },
			),
		);
		if (!sent.ok) {
			const error = sent.error;
			if (error instanceof TransportError && error.kind === 'network') {
				const maybeDelivered = MAYBE_DELIVERED.has(error.networkCode ?? '');
				if (robot.idempotencyKey && maybeDelivered && !timedOutBefore) {
					// The platform takes the same msgUuid once, so repeating cannot post it twice.
					timedOutBefore = true;
					continue;
				}
				throw new NodeOperationError(node, error.message, {
					itemIndex,
					description:
						!maybeDelivered && !timedOutBefore
							? `${error.description} The message was not sent.`
							: robot.idempotencyKey
								? `${error.description} It was tried twice with the same message ID, so it was posted at most once.`
								: `${error.description} The message may have been posted: check the group before running the item again.`,
				});
			}
			throw configurationError(ctx, error, itemIndex);
		}
		const answer = sent.value.body as IDataObject | undefined;
		const errcode = Number(answer?.errcode);
		if (!answer || typeof answer !== 'object' || !Number.isFinite(errcode)) {
			throw new NodeOperationError(
				node,
				`The webhook did not answer like a ${robot.name} (HTTP ${sent.value.status})`,
				{ itemIndex, description: 'Copy the webhook URL again from the group settings.' },
			);
		}
		if (errcode === 0) return { waitedMs, attempts };
		const errmsg = redactSecrets(String(answer.errmsg ?? ''), target.secrets);
		if (robot.throttle.codes.includes(errcode)) {
			if (stats) stats.throttleAnswers++;
			robotPacer.blockUntil(target.key, robotPacer.now() + robot.throttle.blockMs);
			continue;
		}
		const hint =
			robot.messageRefusals[errcode]?.(errmsg) ??
			robot.refusals[errcode] ??
			robot.refusalsByText?.[errcode]?.(errmsg);
		throw createApiError(
			node,
			{ errcode, errmsg, httpStatus: sent.value.status },
			{ platform: robot.name, method: 'POST', path, itemIndex, hint },
		);
	}
}

export interface RobotUpload {
	robot: RobotProfile;
	itemIndex: number;
	/** The upload's media type, e.g. WeCom's file or voice. */
	type: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * Uploads a file to the robot's own upload endpoint and returns its media_id. Uploads are not
 * messages, so they do not count against the robot's limit.
 */
export async function uploadToRobot(ctx: IExecuteFunctions, upload: RobotUpload): Promise<string> {
	const { robot, itemIndex } = upload;
	const node = ctx.getNode();
	const target = await robotOf(ctx, robot, itemIndex);
	const url = robot.upload?.url(target.url);
	if (!robot.upload || !url) {
		throw new NodeOperationError(
			node,
			`The ${robot.name} webhook URL is not one it can upload files to`,
			{
				itemIndex,
				description:
					"Paste the robot's webhook URL exactly as the group settings show it (ending in /send).",
			},
		);
	}
	const { body, contentType } = multipartBody(robot.upload.field, upload);
	const sent = await settle(
		sendHttp(
			ctx,
			{
				method: 'POST',
				url,
				qs: { [robot.tokenParam]: target.webhook.token, [robot.upload.typeParam]: upload.type },
				body,
				headers: { 'content-type': contentType },
				json: false,
				timeout: 60_000,
			},
			{ platform: robot.name, secrets: target.secrets },
		),
	);
	if (!sent.ok) throw configurationError(ctx, sent.error, itemIndex);
	const answer = sent.value.body as IDataObject | undefined;
	const errcode = Number(answer?.errcode);
	if (!answer || typeof answer !== 'object' || !Number.isFinite(errcode)) {
		throw new NodeOperationError(
			node,
			`The robot's upload did not answer like a ${robot.name} (HTTP ${sent.value.status})`,
			{ itemIndex, description: 'Copy the webhook URL again from the group settings.' },
		);
	}
	if (errcode === 0 && typeof answer.media_id === 'string') return answer.media_id;
	throw createApiError(
		node,
		{
			errcode,
			errmsg: redactSecrets(String(answer.errmsg ?? ''), target.secrets),
			httpStatus: sent.value.status,
		},
		{
			platform: robot.name,
			method: 'POST',
			path: new URL(url).pathname,
			itemIndex,
			hint:
				robot.refusals[errcode] ??
				`The ${robot.name} refused the upload of '${upload.fileName}'. ${robot.upload.refusalHint}`,
		},
	);
}
