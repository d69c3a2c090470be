// Every scenario, in the order they run. A scenario is {name, run(ctx)}:
// see ../harness.mjs for what ctx offers. Add new ones here.
import shell from './shell.mjs';
import portal from './portal.mjs';
import serverErrors from './server-errors.mjs';
import work from './work.mjs';
import dashboards from './dashboards.mjs';

export const scenarios = [shell, portal, serverErrors, work, dashboards];
import formdesign from './formdesign.mjs';
scenarios.push(formdesign);
import workflowDesigner from './workflow-designer.mjs';
scenarios.push(workflowDesigner);
import story from './story.mjs';
scenarios.push(story);
