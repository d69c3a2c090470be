import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The rule sets (decision tables) a process owner may edit, with their
// draft and published state, and a form to start a new one.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText } from '../../components';
import { useLoad } from '../../useLoad';
import { HeadList, NewDefinitionForm } from '../definitions';
import { listRuleSets, saveRuleSet } from './api';
import { starter } from './model';
export function RuleSetListPage() {
    const { t } = useTranslation();
    const navigate = useNavigate();
    const heads = useLoad((signal) => listRuleSets(signal), []);
    return (_jsxs("section", { "aria-labelledby": "rsd-list-title", className: "rsd-list", children: [_jsx("h1", { id: "rsd-list-title", children: t('rsd.listTitle') }), _jsx("p", { className: "muted", children: t('rsd.listHelp') }), heads.loading && _jsx(Loading, {}), heads.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(heads.error, t)] }), heads.data && _jsx(HeadList, { ns: "rsd", base: "/design/rules", items: heads.data.items }), heads.data?.items.length === 0 && _jsx("p", { className: "muted", children: t('rsd.none') }), _jsx(NewDefinitionForm, { ns: "rsd", noFormLabel: t('rsd.noForm'), create: async (d) => {
                    await saveRuleSet(starter(d), undefined);
                    navigate(`/design/rules/${d.key}`);
                } })] }));
}
