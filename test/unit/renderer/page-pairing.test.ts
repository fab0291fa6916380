// "Compare signed version" pairs each page now with the signed revision's page that is the same page object
// (renderer/src/lib/compare-revisions.ts pairPages): a page inserted in front is named as added and the others are
// still compared with themselves; a removed or moved page is named; without references, pages pair by number.
import { expect, it } from 'vitest';
import { pairPages } from '../../../renderer/src/lib/compare-revisions.js';

it('a page inserted in front: it is added, the signed pages keep their partners', () => {
  expect(pairPages(['3 0', '7 0'], ['12 0', '3 0', '7 0'])).toEqual({
    pairs: [
      [1, 2],
      [2, 3],
    ],
    removed: [],
    added: [1],
  });
});

it('a page removed, two swapped, one appended', () => {
  expect(pairPages(['3 0', '7 0', '9 0', '11 0'], ['9 0', '3 0', '11 0', '20 0'])).toEqual({
    pairs: [
      [3, 1],
      [1, 2],
      [4, 3],
    ],
    removed: [2],
    added: [4],
  });
});

it('one page object listed twice pairs in order; a reference of another generation is another object', () => {
  expect(pairPages(['3 0', '3 0'], ['3 0', '3 1', '3 0'])).toEqual({
    pairs: [
      [1, 1],
      [2, 3],
    ],
    removed: [],
    added: [2],
  });
});

it('without references the pages pair by number', () => {
  expect(pairPages(['3 0', null, '5 0'], ['3 0', '4 0'])).toEqual({
    pairs: [
      [1, 1],
      [2, 2],
    ],
    removed: [3],
    added: [],
  });
  expect(pairPages([null], [null, null])).toEqual({ pairs: [[1, 1]], removed: [], added: [2] });
});
