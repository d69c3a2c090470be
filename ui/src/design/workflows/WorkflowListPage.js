import { jsx as _jsx, jsxs as _jsxs } from "react/jsx-runtime";
// The workflows a process owner may design, with their draft and published
// state, and a form to start a new one.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorSummary, Loading, problemText } from '../../components';
import { useLoad } from '../../useLoad';
import { HeadList, NewDefinitionForm } from '../definitions';
import { listWorkflows, saveDraft } from './api';
import { starter } from './model';
export function WorkflowListPage() {
    const { t } = useTranslation();
    const navigate = useNavigate();
    const heads = useLoad((signal) => listWorkflows(signal), []);
    return (_jsxs("section", { "aria-labelledby": "wfd-list-title", className: "wfd-list", children: [_jsx("h1", { id: "wfd-list-title", children: t('wfd.listTitle') }), heads.loading && _jsx(Loading, {}), heads.error !== undefined && _jsx(ErrorSummary, { messages: [problemText(heads.error, t)] }), heads.data && _jsx(HeadList, { ns: "wfd", base: "/design/workflows", items: heads.data.items }), _jsx(NewDefinitionForm, { ns: "wfd", formRequired: true, noFormLabel: t('wfd.choose'), create: async (d) => {
                    await saveDraft(starter(d), undefined);
                    navigate(`/design/workflows/${d.key}`);
                } })] }));
}
