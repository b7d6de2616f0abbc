import type { LabInfo } from '../lab.ts';
export interface BigSeedResult {
	user: string;
	folder: string;
	count: number;
	bytes: number;
	writeMs: number;
	indexMs: number;
}
export async function seedBigMailbox(_o: {
	info: LabInfo;
	count: number;
	user?: string;
	log?: (l: string) => void;
}): Promise<BigSeedResult> {
	throw new Error('not yet');
}
