// Files the OS hands to Sealdesk (argv, second instance, open-file) and the view each belongs in.
import { expect, it } from 'vitest';
import { OpenedQueue, fileArgs } from '../../../main/services/index.js';

it('takes file arguments, not the executable, the app path or switches', () => {
  expect(
    fileArgs(['/opt/Sealdesk/sealdesk', '--no-sandbox', '/home/a/deal.pdf', '/home/a/x.tsr', 'notes.txt'], 1),
  ).toEqual(['/home/a/deal.pdf', '/home/a/x.tsr']);
  expect(fileArgs(['electron', '.', '/home/a/deal.PDF'], 2)).toEqual(['/home/a/deal.PDF']);
});

it('routes .tsr to Inspect and everything else to Verify, once', () => {
  const q = new OpenedQueue();
  q.push(['/a/contract.pdf', '/a/data.csv.p7s', '/a/proof.tsr']);
  expect(q.take()).toEqual([
    { path: '/a/contract.pdf', view: 'Verify' },
    { path: '/a/data.csv.p7s', view: 'Verify' },
    { path: '/a/proof.tsr', view: 'Inspect' },
  ]);
  expect(q.take()).toEqual([]);
});
