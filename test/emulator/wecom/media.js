// @ts-check
'use strict';

const crypto = require('node:crypto');
const { CODES, weComError, weComOk } = require('./errors');

/**
 * Temporary media (上传临时素材): `POST /cgi-bin/media/upload?access_token=&type=image|voice|video|file`,
 * multipart field `media` → `{errcode, errmsg, type, media_id, created_at}`; the media_id lasts
 * 3 days (https://developer.work.weixin.qq.com/document/path/96484, reference B9). Approval File
 * controls take these media_ids as `file_id` (reference B17), so the approval engine looks them up
 * here. The app token is checked by the family; the media belongs to the caller's corp.
 *
 * Checks, in this order (codes and meanings from WxJava's WxCpErrorMsgEnum,
 * https://github.com/Wechat-Group/WxJava/blob/develop/weixin-java-common/src/main/java/me/chanjar/weixin/common/error/WxCpErrorMsgEnum.java):
 *   1. `type` missing or not image/voice/video/file     → 40005 invalid file type (不合法的type参数)
 *   2. no multipart part `media` or it is empty           → 44001 empty media data (多媒体文件为空)
 *   3. 5 bytes or less ("所有文件size必须大于5个字节", B9) → 40006 invalid file size
 *   4. format: image JPG/PNG, voice AMR, video MP4 (B9)    → 40004 invalid media type (voice: 301017)
 *   5. size: image ≤ 10 MB (B9: the 2024 page; older copies say 2 MB, unverified) → 40009;
 *      voice ≤ 2 MB → 301016; video ≤ 10 MB → 40011; file ≤ 20 MB → 40006
 * The 60 s voice length limit is not checked (the emulator does not decode AMR).
 *
 * @typedef {import('../family').RequestContext} RequestContext
 *
 * @typedef {object} TempMedia                a temporary media file (bytes are not kept)
 * @property {string} mediaId
 * @property {string} corpId
 * @property {number} agentId                  the app that uploaded it
 * @property {'image'|'voice'|'video'|'file'} type
 * @property {string} filename
 * @property {string} contentType
 * @property {number} size
 * @property {number} createdAt                emulator clock, ms
 */

const MEDIA_UPLOAD_PATH = '/cgi-bin/media/upload';
/** "media_id在3天内有效" (B9). */
const MEDIA_LIFETIME_MS = 3 * 24 * 3600 * 1000;
const MB = 1024 * 1024;
/** Size limits per type (B9). */
const LIMITS = {
	image: { max: 10 * MB, code: CODES.invalidImageSize },
	voice: { max: 2 * MB, code: CODES.invalidVoice },
	video: { max: 10 * MB, code: CODES.invalidVideoSize },
	file: { max: 20 * MB, code: CODES.invalidFileSize },
};
const TYPES = /** @type {Array<keyof typeof LIMITS>} */ (Object.keys(LIMITS));

/** JPG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A), by their leading bytes. */
const isJpgOrPng = (/** @type {Buffer} */ bytes) =>
	(bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) ||
	(bytes.length >= 8 &&
		bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
/** AMR files start with "#!AMR\n". */
const isAmr = (/** @type {Buffer} */ bytes) => bytes.subarray(0, 6).equals(Buffer.from('#!AMR\n'));
/** MP4 (ISO base media) files carry an `ftyp` box at offset 4. */
const isMp4 = (/** @type {Buffer} */ bytes) => bytes.subarray(4, 8).toString('latin1') === 'ftyp';

/** A realistic, deterministic media_id (WeCom's are long URL-safe strings). */
function mintMediaId(/** @type {number} */ n) {
	const digest = crypto.createHash('sha256').update(`n8n-emulator:wecom-media:${n}`).digest();
	const tail = Buffer.concat([digest, crypto.createHash('sha256').update(digest).digest()])
		.toString('base64url')
		.replace(/[-_]/g, 'x')
		.slice(0, 62);
	return `3${tail}`;
}

/** POST /cgi-bin/media/upload?access_token=…&type=… */
function mediaUpload(/** @type {RequestContext} */ ctx) {
	const world = /** @type {any} */ (ctx.env.state.wecom);
	const type = /** @type {keyof typeof LIMITS} */ (ctx.query.type);
	if (!TYPES.includes(type))
		return weComError(
			ctx,
			CODES.invalidFileType,
			`type must be one of ${TYPES.join(', ')}, got ${JSON.stringify(ctx.query.type ?? null)}`,
		);
	const file = ctx.bodyInfo.kind === 'multipart' ? ctx.body?.files?.media : undefined;
	if (!file || file.size === 0)
		return weComError(ctx, CODES.emptyMedia, 'send the file in the multipart field "media"');
	if (file.size <= 5)
		return weComError(ctx, CODES.invalidFileSize, 'every file must be larger than 5 bytes');
	const bytes = /** @type {Buffer} */ (file.data);
	if (type === 'image' && !isJpgOrPng(bytes))
		return weComError(ctx, CODES.invalidMediaType, 'an image must be JPG or PNG');
	if (type === 'voice' && !isAmr(bytes))
		return weComError(ctx, CODES.voiceNotAmr, 'a voice must be AMR');
	if (type === 'video' && !isMp4(bytes))
		return weComError(ctx, CODES.invalidMediaType, 'a video must be MP4');
	const limit = LIMITS[type];
	if (file.size > limit.max)
		return weComError(ctx, limit.code, `a ${type} may have at most ${limit.max / MB} MB`);

	const now = ctx.env.clock.now();
	const counters = world.approvalCounters;
	counters.media += 1;
	/** @type {TempMedia} */
	const media = {
		mediaId: mintMediaId(counters.media),
		corpId: ctx.app.corpId,
		agentId: ctx.app.agentId,
		type,
		filename: file.filename,
		contentType: file.contentType,
		size: file.size,
		createdAt: now,
	};
	world.tempMedia.push(media);
	// created_at is a string of seconds in the doc sample (B9).
	return weComOk({ type, media_id: media.mediaId, created_at: String(Math.floor(now / 1000)) });
}

/**
 * The temporary media a corp may still use: uploaded by one of its apps less than 3 days ago.
 * @param {{ tempMedia: TempMedia[] }} world
 * @param {string} corpId
 * @param {unknown} mediaId
 * @param {number} now emulator clock, ms
 */
function usableMedia(world, corpId, mediaId, now) {
	const media = world.tempMedia.find((item) => item.mediaId === mediaId);
	if (!media || media.corpId !== corpId || now - media.createdAt >= MEDIA_LIFETIME_MS)
		return undefined;
	return media;
}

/** @type {import('../family').Route[]} */
const MEDIA_ROUTES = [{ method: 'POST', path: MEDIA_UPLOAD_PATH, handler: mediaUpload }];

module.exports = { MEDIA_ROUTES, MEDIA_UPLOAD_PATH, MEDIA_LIFETIME_MS, usableMedia };
