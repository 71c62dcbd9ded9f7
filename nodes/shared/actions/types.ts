import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeExecutionHint,
} from 'n8n-workflow';

/** The option an operation adds to its resource's Operation dropdown. */
export interface OperationOption {
	name: string;
	value: string;
	action: string;
	description: string;
}

export interface OperationResult {
	/** One output item per entry. */
	json: IDataObject | IDataObject[];
	/** Binary data of the (first) output item, e.g. a downloaded file. */
	binary?: Record<string, IBinaryData>;
	/** Shown in the output pane (e.g. recipients that were invalid). */
	hints?: NodeExecutionHint[];
}

/**
 * One `<operation>.operation.ts` file: its dropdown entry, its fields, and what it does per item in
 * two steps. `prepare` reads and checks the item's parameters without calling the platform; the
 * router prepares every item before the first call, so a typo in item 5 fails before item 0 is
 * sent. `execute` then makes the calls for one prepared item.
 */
export interface OperationModule<Prepared = unknown> {
	option: OperationOption;
	/** Fields of this operation; display options for resource/operation are added for you. */
	description: INodeProperties[];
	/** Whether the operation changes something on the platform (send, recall, a custom call). */
	writes: boolean;
	/**
	 * False for operations that never call the app's API (group robots have their own limit and
	 * wait option), so Max Wait for Quota is not offered.
	 */
	appQuota?: false;
	/** Calls in flight by default, when the platform's default does not suit (robot posts). */
	concurrency?: number;
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<Prepared>;
	execute(this: IExecuteFunctions, prepared: Prepared, itemIndex: number): Promise<OperationResult>;
}

/** One resource folder: its dropdown entry and its operations, the main one first (the folder's index.ts). */
export interface ResourceModule {
	resource: { name: string; value: string; description?: string };
	operations: Record<string, OperationModule>;
}
