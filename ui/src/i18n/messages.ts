// Every message of the app in each language: the foundation's files and
// those of the agent workspace and the dashboards, merged at the top level
// (each file owns its own top-level keys).
import en from './en.json';
import fa from './fa.json';
import workEn from './work.en.json';
import workFa from './work.fa.json';
import dashboardsEn from './dashboards.en.json';
import dashboardsFa from './dashboards.fa.json';
import formDesignEn from './formdesign.en.json';
import formDesignFa from './formdesign.fa.json';
import workflowsEn from './workflows.en.json';
import workflowsFa from './workflows.fa.json';
import rulesEn from './rules.en.json';
import rulesFa from './rules.fa.json';
import slaEn from './sla.en.json';
import slaFa from './sla.fa.json';
import typesEn from './types.en.json';
import typesFa from './types.fa.json';

/** The messages of each language. */
export const messages = {
  en: { ...en, ...workEn, ...dashboardsEn, ...formDesignEn, ...workflowsEn, ...rulesEn, ...slaEn, ...typesEn },
  fa: { ...fa, ...workFa, ...dashboardsFa, ...formDesignFa, ...workflowsFa, ...rulesFa, ...slaFa, ...typesFa },
};
