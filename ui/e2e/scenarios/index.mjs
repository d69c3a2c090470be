// Every scenario, in the order they run. A scenario is {name, run(ctx)}:
// see ../harness.mjs for what ctx offers. Add new ones here.
import shell from './shell.mjs';
import portal from './portal.mjs';
import serverErrors from './server-errors.mjs';
import portalRules from './portal-rules.mjs';
import work from './work.mjs';
import dashboards from './dashboards.mjs';

export const scenarios = [shell, portal, portalRules, serverErrors, work, dashboards];
import formdesign from './formdesign.mjs';
scenarios.push(formdesign);
import workflowDesigner from './workflow-designer.mjs';
scenarios.push(workflowDesigner);
import rulesDesigner from './rules-designer.mjs';
scenarios.push(rulesDesigner);
import slaDesigner from './sla-designer.mjs';
scenarios.push(slaDesigner);
import story from './story.mjs';
scenarios.push(story);
