import type {
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
	/** Shown in the output pane (e.g. recipients that were invalid). */
	hints?: NodeExecutionHint[];
}

/** One `<operation>.operation.ts` file: its dropdown entry, its fields and what it does per item. */
export interface OperationModule {
	option: OperationOption;
	/** Fields of this operation; display options for resource/operation are added for you. */
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult>;
}

/** One resource folder: its dropdown entry and its operations (the folder's index.ts). */
export interface ResourceModule {
	resource: { name: string; value: string; description?: string };
	operations: Record<string, OperationModule>;
	defaultOperation?: string;
}
