import { describe, expect, it } from 'vitest';
import { messages } from '../i18n/messages';

// What a requester reads in a request's history when a workflow approves
// and decides (the story scenario's request, engine history types): each
// has words in both languages, not the engine's bare type.
const seen = ['submitted', 'owner-chosen', 'sla-started', 'workflow-started', 'approval-requested', 'sent', 'task-claimed', 'task-completed', 'approval-decided', 'decision', 'ended', 'rated'];

describe('history labels', () => {
  for (const lang of ['en', 'fa'] as const) {
    it(`name every step of an approved request in ${lang}`, () => {
      const history = (messages[lang] as { history: Record<string, string> }).history;
      const missing = seen.filter((type) => !history[type]);
      expect(missing).toEqual([]);
    });
  }
});
