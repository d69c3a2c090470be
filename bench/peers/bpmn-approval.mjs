// Completes approval lifecycles with bpmn-engine in memory, one after the
// other: start an instance, complete its user task with the outcome, let
// the gateway decide on the amount, wait for the end. The definition is
// parsed once (as Pishkhan compiles a workflow once, at publish); each
// lifecycle is a new Engine on that parsed definition.
//
//   node bpmn-approval.mjs approval.bpmn 2000
//
// Prints one JSON line: {"model", "lifecycles", "seconds", "perSecond"}.
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Engine } from 'bpmn-engine';
import BpmnModdle from 'bpmn-moddle';
import * as Elements from 'bpmn-elements';
import serializer, { TypeResolver } from 'moddle-context-serializer';

const [model = 'approval.bpmn', countArg = '2000'] = process.argv.slice(2);
const count = Number(countArg);
const source = readFileSync(new URL(model, import.meta.url), 'utf8');
const moddleContext = await new BpmnModdle().fromXML(source);
const sourceContext = serializer(moddleContext, TypeResolver(Elements));
const services = {
  rejected: (outcome) => outcome === 'reject',
  big: (amount) => amount > 1000,
};

// lifecycle runs one instance to its end and returns the end event taken.
async function lifecycle(amount, outcome) {
  const listener = new EventEmitter();
  listener.on('wait', (api) => {
    if (api.id === 'approve') api.signal({ outcome });
  });
  // The task's output becomes the process's, where the conditions read
  // it (bpmn-engine's documented way to keep a task's result).
  listener.on('activity.end', (api) => {
    if (api.id === 'approve') api.environment.output.outcome = api.content.output.outcome;
  });
  const engine = new Engine({ name: 'approval', sourceContext, services });
  const ended = engine.waitFor('end');
  const execution = await engine.execute({ listener, variables: { amount } });
  await ended;
  const taken = ['big', 'done', 'no'].filter((id) => execution.getActivityById(id)?.counters.taken > 0);
  if (taken.length !== 1) throw new Error(`ended at ${taken.join(', ') || 'no end'}`);
  return taken[0];
}

// The conditions must decide as Pishkhan's do before anything is timed.
for (const [amount, outcome, want] of [[1500, 'approve', 'big'], [10, 'approve', 'done'], [1500, 'reject', 'no']]) {
  const got = await lifecycle(amount, outcome);
  if (got !== want) throw new Error(`amount ${amount}, ${outcome}: ended at ${got}, want ${want}`);
}
for (let i = 0; i < 200; i++) await lifecycle(1500, 'approve'); // warm up the JIT

const start = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  if ((await lifecycle(1500, 'approve')) !== 'big') throw new Error('wrong end');
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ model, lifecycles: count, seconds, perSecond: count / seconds }));
