// Delay from a write to a subscriber's event: one subscriber of `changes` over WebSocket, writes over HTTP, one at a
// time; the delay is counted from the write's acknowledgement (its HTTP answer) and from its sending.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Marking } from '../src/common/marking';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { benchmark, percentile } from './bench-support';

const WRITES = Number(process.env.SUBSCRIPTION_BENCH_WRITES ?? 300);

benchmark({}, async (dataSource, url) => {
  const { key } = await createKey(dataSource.manager, { name: 'bench-live', role: Role.ANALYST, clearance: Marking.AMBER, organisation: 'bench' });
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` } });
  const arrived = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  client.subscribe(
    { query: `subscription { changes(filter: { types: ["Actor"] }) { itemId } }` },
    {
      next: (event) => {
        const id = (event.data as { changes: { itemId: string } } | undefined)?.changes.itemId;
        if (!id) return;
        arrived.set(id, performance.now());
        waiting.get(id)?.();
      },
      error: (error) => console.error('subscription failed', error),
      complete: () => undefined,
    },
  );
  const write = async (i: number) => {
    const sent = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `mutation($n: String!) { createActor(input: { name: $n, kind: "MILITARY_UNIT" }) { id } }`,
        variables: { n: `Bench unit ${i}` },
      }),
    });
    const acked = performance.now();
    const id = ((await res.json()) as { data: { createActor: { id: string } } }).data.createActor.id;
    if (!arrived.has(id)) await new Promise<void>((resolve) => waiting.set(id, resolve));
    return { fromAck: Math.max(0, arrived.get(id)! - acked), fromSend: arrived.get(id)! - sent };
  };
  // Until the subscription is live (the protocol acknowledges none), then the measured writes.
  for (let i = 0; ; i++) {
    const probe = await Promise.race([write(-i - 1), new Promise<null>((r) => setTimeout(() => r(null), 1000))]);
    if (probe) break;
  }
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const d = await write(i);
    fromAck.push(d.fromAck);
    fromSend.push(d.fromSend);
  }
  const line = (name: string, ms: number[]) => {
    const s = [...ms].sort((a, b) => a - b);
    return `${name}: p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms`;
  };
  console.log(`${WRITES} writes, one subscriber of changes over WebSocket`);
  console.log(line('delay from the write acknowledged to the event', fromAck));
  console.log(line('delay from the write sent to the event', fromSend));
  await client.dispose();
});
