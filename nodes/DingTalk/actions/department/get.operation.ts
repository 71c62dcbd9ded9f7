import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ParameterReader } from '../../../shared/actions/parameters';
import type { OperationResult } from '../../../shared/actions/types';
import { namingField } from '../../../shared/contacts/lookups';
import type { Language } from '../../transport/contacts';
import { getDepartment } from '../../transport/contacts';
import type { DepartmentRef } from '../contactFields';
import {
	departmentLocator,
	optionsWithLanguage,
	readDepartment,
	readLanguage,
} from '../contactFields';

export const option = {
	name: 'Get',
	value: 'get',
	action: 'Get a department',
	description: 'Details of one department: name, parent, managers, member count',
};

export const description: INodeProperties[] = [
	departmentLocator({ description: 'The department to read' }),
	optionsWithLanguage,
];

export const writes = false;

interface Input {
	department: DepartmentRef;
	language: Language;
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<Input> {
	const read = new ParameterReader(this, itemIndex);
	return { department: readDepartment(read), language: readLanguage(read) };
}

export async function execute(
	this: IExecuteFunctions,
	input: Input,
	itemIndex: number,
): Promise<OperationResult> {
	const department = await namingField(
		input.department,
		getDepartment(this, input.department.id, input.language, itemIndex),
	);
	return { json: department as IDataObject };
}
