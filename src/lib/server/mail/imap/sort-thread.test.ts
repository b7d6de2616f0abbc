import { describe, expect, test } from 'vitest';
import {
	parseSortResponse,
	parseThreadResponse,
	threadUids,
	tokenizeImapLists,
	type ThreadNode
} from './sort-thread.ts';

const sort = (...lines: string[]) => parseSortResponse(lines.map(tokenizeImapLists));
const thread = (...lines: string[]) => parseThreadResponse(lines.map(tokenizeImapLists));

/** A compact text form of a thread forest, to compare shapes. */
function shape(nodes: ThreadNode[]): string {
	return nodes
		.map((n) => `${n.uid ?? '·'}${n.children.length ? `[${shape(n.children)}]` : ''}`)
		.join(' ');
}

describe('SORT response', () => {
	test('keeps the server order', () => {
		expect(sort('2 84 882')).toEqual([2, 84, 882]);
	});
	test('an empty result is an empty list', () => {
		expect(sort('')).toEqual([]);
		expect(parseSortResponse([])).toEqual([]);
	});
	test('joins several untagged lines, drops duplicates and junk', () => {
		expect(sort('5 3', ' 3  9\t', 'abc 0 -4 2.5 1e3 7 99999999999 4294967295')).toEqual([
			5, 3, 9, 7, 4294967295
		]);
	});
	test('ignores nested lists and odd tokens', () => {
		expect(
			parseSortResponse([[{ type: 'ATOM', value: '4' }, [{ value: '5' }], null, { value: 6 }, {}]])
		).toEqual([4, 6]);
	});
});

describe('THREAD response', () => {
	test('RFC 5256 example', () => {
		const forest = thread('(2)(3 6 (4 23)(44 7 96))');
		expect(shape(forest)).toBe('2 3[6[4[23] 44[7[96]]]]');
		expect(forest.map(threadUids)).toEqual([[2], [3, 6, 4, 23, 44, 7, 96]]);
	});
	test('siblings without a common parent get a dummy root', () => {
		expect(shape(thread('((3)(5))'))).toBe('·[3 5]');
		expect(threadUids(thread('((3)(5))')[0]!)).toEqual([3, 5]);
	});
	test('a dummy root with one child is that child', () => {
		expect(shape(thread('((3 4))'))).toBe('3[4]');
	});
	test('no thread at all', () => {
		expect(thread('')).toEqual([]);
		expect(thread('()')).toEqual([]);
		expect(thread('(()())')).toEqual([]);
	});
	test('spacing variants and several untagged lines', () => {
		expect(shape(thread(' ( 1  2 ) (3) ', '(4)(5 6)'))).toBe('1[2] 3 4 5[6]');
	});
	test('unbalanced parentheses do not throw', () => {
		expect(() => thread('((1 2)(3')).not.toThrow();
		expect(thread('((1 2)(3').flatMap(threadUids).sort()).toEqual([1, 2, 3]);
		expect(() => thread(')))(1)')).not.toThrow();
		expect(thread(')))(1)').flatMap(threadUids)).toEqual([1]);
	});
	test('duplicate UIDs are kept once, junk is dropped', () => {
		expect(thread('(1 2)(2 x 3)(0)(-1)').flatMap(threadUids)).toEqual([1, 2, 3]);
	});
	test('a bare number at top level is a lone message', () => {
		expect(shape(thread('7 (8)'))).toBe('7 8');
	});
	test('absurd nesting is flattened, not a stack overflow', () => {
		const deep = `${'('.repeat(5000)}1 2${')'.repeat(5000)}`;
		const forest = thread(deep);
		expect(forest.flatMap(threadUids)).toEqual([1, 2]);
		const chain = `(${Array.from({ length: 20_000 }, (_, i) => i + 1).join(' ')})`;
		expect(threadUids(thread(chain)[0]!).length).toBe(20_000);
	});
});
