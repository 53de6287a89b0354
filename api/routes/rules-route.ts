// The rules of the engine (issue 4):
//   GET  /api/rules               → [{ id, name: {zh, en}, category, enabled, doc, severity, type, scope, role, detects }]
//   POST /api/rules/:id/enabled   {enabled: boolean} → the rule; disabling clears its live alerts
// With access control on, changing a rule needs the rules:write permission (operators, admins).

import { Router } from 'express';
import { z } from 'zod';
import { requirePermission } from '../../auth/http-auth';
import type { RulesEngine } from '../../rules/engine';
import { parsePart } from '../parse-part';

const Params = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/, 'a rule id') }).strict();
const EnabledBody = z.object({ enabled: z.boolean() }).strict();

export function rulesRoute(engine: Pick<RulesEngine, 'listRules' | 'setEnabled'>, opts: { readonly auth: boolean }): Router {
  const r = Router();
  r.get('/api/rules', (req, res) => {
    parsePart('query', z.object({}).strict(), req.query);
    res.setHeader('Cache-Control', 'no-store');
    res.json(engine.listRules());
  });
  r.post('/api/rules/:id/enabled', ...(opts.auth ? [requirePermission('rules:write')] : []), (req, res) => {
    const { id } = parsePart('params', Params, req.params);
    const b = parsePart('body', EnabledBody, req.body ?? {});
    res.json(engine.setEnabled(id, b.enabled));
  });
  return r;
}
