package engine

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pishkhan/pishkhan/forms"
	"github.com/pishkhan/pishkhan/rules"
)

// CompiledWorkflow is a workflow version that passed the lint, with every
// expression compiled against its form.
type CompiledWorkflow struct {
	Key     string
	Version int
	Title   forms.Text
	Form    FormRef
	def     Workflow
	nodes   map[string]*cnode
	start   *cnode
}

// Definition returns the workflow as it was written.
func (w *CompiledWorkflow) Definition() Workflow { return w.def }

type cnode struct {
	*Node
	index int
	out   []*cedge
	in    []*cedge

	assignee, group, approvers, priority, until, message, notifyTo *rules.Program
	set                                                            []namedProgram
	webhookBody                                                    []namedProgram
	due, duration, timeout                                         time.Duration
	taskForm                                                       *forms.Compiled
	// join is the join that closes a parallel split.
	join string
}

type cedge struct {
	Edge
	index int
	cond  *rules.Program
}

type namedProgram struct {
	name string
	prog *rules.Program
}

// LintDeps are what the lint looks up beyond the workflow itself: the
// form's rule environment, and whether the rule sets and groups it names
// exist. Nil functions accept every name.
type LintDeps struct {
	Env      *rules.Env
	RuleSet  func(key string) error
	Group    func(name string) error
	TaskForm func(key string, schema []byte) (*forms.Compiled, error)
}

// nodeID is the shape of node ids: short, readable in URLs and history.
var nodeID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,62}$`)

// fieldName is the shape of a top-level form field an action may set.
var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// statusWord is the shape of a status an end or action sets.
var statusWord = regexp.MustCompile(`^[a-z][a-z0-9-]{1,30}$`)

// nodeFields lists, per kind, the fields a node of that kind may set
// beyond id, kind and title.
var nodeFields = map[NodeKind][]string{
	NodeStart:    {},
	NodeEnd:      {"outcome"},
	NodeTask:     {"assignee", "groups", "group", "ruleSet", "form", "outcomes", "due", "escalateTo"},
	NodeApproval: {"approvers", "groups", "mode", "quorum", "due", "escalateTo"},
	NodeDecision: {},
	NodeParallel: {},
	NodeJoin:     {},
	NodeAction:   {"set", "priority", "status", "webhook", "notify"},
	NodeWait:     {"duration", "until", "message", "timeout"},
}

type linter struct {
	w        *CompiledWorkflow
	deps     LintDeps
	problems []forms.FieldError
	joinOf   map[string]string // split -> join
	splitOf  map[string]string // join -> split
	visiting map[string]bool
}

func (l *linter) add(pointer, format string, args ...any) {
	l.problems = append(l.problems, forms.FieldError{Pointer: pointer, Code: "workflow", Params: map[string]any{"detail": fmt.Sprintf(format, args...)}})
}

func nodePtr(n *cnode, field string) string {
	p := "/nodes/" + strconv.Itoa(n.index)
	if field != "" {
		p += "/" + field
	}
	return p
}

func edgePtr(e *cedge, field string) string {
	p := "/edges/" + strconv.Itoa(e.index)
	if field != "" {
		p += "/" + field
	}
	return p
}

// CompileWorkflow lints a workflow and compiles its expressions. Every
// problem names the node or edge it concerns (a JSON pointer into the
// definition, and the node's id in the message); all are reported at once
// as a *forms.DefinitionError.
func CompileWorkflow(def Workflow, deps LintDeps) (*CompiledWorkflow, error) {
	if deps.Env == nil {
		deps.Env = rules.NewEnv(nil)
	}
	w := &CompiledWorkflow{Key: def.Key, Title: def.Title, def: def, nodes: map[string]*cnode{}}
	l := &linter{w: w, deps: deps, joinOf: map[string]string{}, splitOf: map[string]string{}, visiting: map[string]bool{}}
	if len(def.Nodes) > 500 || len(def.Edges) > 2000 {
		l.add("/nodes", "a workflow may have at most 500 nodes and 2000 edges")
		return nil, &forms.DefinitionError{Problems: l.problems}
	}
	l.nodes()
	l.edges()
	if len(l.problems) == 0 {
		l.shape()
	}
	if len(l.problems) == 0 {
		l.graph()
	}
	for _, n := range l.sortedNodes() {
		l.expressions(n)
	}
	if len(l.problems) > 0 {
		return nil, &forms.DefinitionError{Problems: l.problems}
	}
	return w, nil
}

func (l *linter) sortedNodes() []*cnode {
	out := make([]*cnode, 0, len(l.w.nodes))
	for _, n := range l.w.nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}

func (l *linter) nodes() {
	def := &l.w.def
	if len(def.Nodes) == 0 {
		l.add("/nodes", "a workflow needs nodes: at least a start and an end")
		return
	}
	for i := range def.Nodes {
		n := &cnode{Node: &def.Nodes[i], index: i}
		switch {
		case !nodeID.MatchString(n.ID):
			l.add(nodePtr(n, "id"), "node %d: id %q must be 1 to 63 letters, digits, - or _, starting with a letter", i, n.ID)
			continue
		case l.w.nodes[n.ID] != nil:
			l.add(nodePtr(n, "id"), "node %q: another node has the same id", n.ID)
			continue
		}
		allowed, ok := nodeFields[n.Kind]
		if !ok {
			l.add(nodePtr(n, "kind"), "node %q: kind %q is not one of %s", n.ID, n.Kind, kindList())
			continue
		}
		for _, f := range setFields(n.Node) {
			if !slices.Contains(allowed, f) {
				l.add(nodePtr(n, f), "node %q: %s %s node does not use %q", n.ID, article(string(n.Kind)), n.Kind, f)
			}
		}
		l.w.nodes[n.ID] = n
		if n.Kind == NodeStart {
			if l.w.start != nil {
				l.add(nodePtr(n, ""), "node %q: a workflow has exactly one start, and %q is already one", n.ID, l.w.start.ID)
				continue
			}
			l.w.start = n
		}
	}
	if l.w.start == nil {
		l.add("/nodes", "the workflow has no start node")
	}
}

// article is "a" or "an" for word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func kindList() string {
	s := make([]string, len(nodeKinds))
	for i, k := range nodeKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// setFields returns the JSON names of the fields of n that are set,
// besides id, kind and title.
func setFields(n *Node) []string {
	var out []string
	v := reflect.ValueOf(n).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		if name == "id" || name == "kind" || name == "title" {
			continue
		}
		if !v.Field(i).IsZero() {
			out = append(out, name)
		}
	}
	return out
}

func (l *linter) edges() {
	ids := map[string]bool{}
	for i, e := range l.w.def.Edges {
		ce := &cedge{Edge: e, index: i}
		if e.ID != "" {
			if ids[e.ID] {
				l.add(edgePtr(ce, "id"), "edge %q: another edge has the same id", e.ID)
			}
			ids[e.ID] = true
		}
		from, to := l.w.nodes[e.From], l.w.nodes[e.To]
		if from == nil {
			l.add(edgePtr(ce, "from"), "edge %s: there is no node %q to leave from", ce.name(), e.From)
		}
		if to == nil {
			l.add(edgePtr(ce, "to"), "edge %s: there is no node %q to go to", ce.name(), e.To)
		}
		if from == nil || to == nil {
			continue
		}
		from.out = append(from.out, ce)
		to.in = append(to.in, ce)
	}
}

// shape checks each node's own fields and the edges that leave it.
func (l *linter) shape() {
	for _, n := range l.sortedNodes() {
		switch n.Kind {
		case NodeStart:
			if len(n.in) > 0 {
				l.add(edgePtr(n.in[0], "to"), "edge %s: nothing may lead back into the start node %q", n.in[0].name(), n.ID)
			}
			l.plainOut(n, 1)
		case NodeEnd:
			if len(n.out) > 0 {
				l.add(edgePtr(n.out[0], "from"), "edge %s: an end node (%q) has no way out", n.out[0].name(), n.ID)
			}
			if !statusWord.MatchString(n.Outcome) {
				l.add(nodePtr(n, "outcome"), "node %q: an end sets the request's outcome, such as resolved or rejected (2 to 31 lower-case letters, digits or -)", n.ID)
			}
		case NodeTask:
			if len(n.Outcomes) == 0 {
				n.Outcomes = []string{"done"}
			}
			if n.Assignee == "" && len(n.Groups) == 0 && n.Group == "" && n.RuleSet == "" {
				l.add(nodePtr(n, ""), "node %q: say who does the task: assignee, groups, group or ruleSet", n.ID)
			}
			l.outcomeOut(n, n.Outcomes)
		case NodeApproval:
			l.approvalShape(n)
			l.outcomeOut(n, []string{OutcomeApprove, OutcomeReject})
		case NodeDecision:
			l.decisionShape(n)
		case NodeParallel:
			l.plainOut(n, -2)
		case NodeJoin:
			if len(n.in) < 2 {
				l.add(nodePtr(n, ""), "node %q: a join needs at least two edges coming in", n.ID)
			}
			l.plainOut(n, 1)
		case NodeAction:
			if len(n.Set) == 0 && n.Priority == "" && n.Status == "" && n.Webhook == nil && n.Notify == nil {
				l.add(nodePtr(n, ""), "node %q: an action does something: set, priority, status, webhook or notify", n.ID)
			}
			if n.Status != "" && !statusWord.MatchString(n.Status) {
				l.add(nodePtr(n, "status"), "node %q: status %q must be 2 to 31 lower-case letters, digits or -", n.ID, n.Status)
			}
			if n.Webhook != nil && !strings.HasPrefix(n.Webhook.URL, "https://") && !strings.HasPrefix(n.Webhook.URL, "http://") {
				l.add(nodePtr(n, "webhook/url"), "node %q: the webhook needs an http:// or https:// URL", n.ID)
			}
			l.plainOut(n, 1)
		case NodeWait:
			l.waitShape(n)
		}
		l.durations(n)
	}
}

func (l *linter) durations(n *cnode) {
	for _, d := range []struct {
		field string
		src   string
		dst   *time.Duration
	}{{"due", n.Due, &n.due}, {"duration", n.Duration, &n.duration}, {"timeout", n.Timeout, &n.timeout}} {
		if d.src == "" {
			continue
		}
		v, err := ParseDuration(d.src)
		if err != nil {
			l.add(nodePtr(n, d.field), "node %q: %v", n.ID, err)
		}
		*d.dst = v
	}
}

// plainOut wants count edges without outcome, condition or default
// leaving n (count < 0: at least -count).
func (l *linter) plainOut(n *cnode, count int) {
	switch {
	case count > 0 && len(n.out) != count:
		l.add(nodePtr(n, ""), "node %q: %s %s node has exactly %d edge going out, not %d", n.ID, article(string(n.Kind)), n.Kind, count, len(n.out))
	case count < 0 && len(n.out) < -count:
		l.add(nodePtr(n, ""), "node %q: %s %s node needs at least %d edges going out", n.ID, article(string(n.Kind)), n.Kind, -count)
	}
	for _, e := range n.out {
		if e.Outcome != "" || e.Condition != "" || e.Default {
			l.add(edgePtr(e, ""), "edge %s: edges leaving %s %s node carry no outcome, condition or default", e.name(), article(string(n.Kind)), n.Kind)
		}
	}
}

// outcomeOut wants exactly one edge per outcome leaving n, and no others.
// A node with a single outcome may leave by a plain edge.
func (l *linter) outcomeOut(n *cnode, outcomes []string) {
	seen := map[string]bool{}
	for _, e := range n.out {
		if len(outcomes) == 1 && e.Outcome == "" && e.Condition == "" && !e.Default {
			e.Outcome = outcomes[0]
		}
		switch {
		case e.Condition != "" || e.Default:
			l.add(edgePtr(e, ""), "edge %s: edges leaving %s node %q follow an outcome, not a condition", e.name(), n.Kind, n.ID)
		case !slices.Contains(outcomes, e.Outcome):
			l.add(edgePtr(e, "outcome"), "edge %s: %q is not an outcome of node %q (%s)", e.name(), e.Outcome, n.ID, strings.Join(outcomes, ", "))
		case seen[e.Outcome]:
			l.add(edgePtr(e, "outcome"), "edge %s: outcome %q of node %q already has an edge", e.name(), e.Outcome, n.ID)
		}
		seen[e.Outcome] = true
	}
	for _, o := range outcomes {
		if !seen[o] {
			l.add(nodePtr(n, ""), "node %q: outcome %q has no edge to follow", n.ID, o)
		}
	}
}

func (l *linter) approvalShape(n *cnode) {
	if n.Mode == "" {
		n.Mode = ModeAny
	}
	if !slices.Contains([]string{ModeAny, ModeAll, ModeQuorum, ModeSequence}, n.Mode) {
		l.add(nodePtr(n, "mode"), "node %q: mode %q is not any, all, quorum or sequence", n.ID, n.Mode)
	}
	switch {
	case n.Approvers == "" && len(n.Groups) == 0:
		l.add(nodePtr(n, ""), "node %q: say who approves: approvers (an expression) or groups", n.ID)
	case n.Approvers != "" && len(n.Groups) > 0:
		l.add(nodePtr(n, "groups"), "node %q: give approvers or groups, not both", n.ID)
	case len(n.Groups) > 0 && n.Mode != ModeAny:
		l.add(nodePtr(n, "mode"), "node %q: a group approves as one (mode any); for all, quorum or sequence name the approvers", n.ID)
	}
	if n.Mode == ModeQuorum && n.Quorum < 1 {
		l.add(nodePtr(n, "quorum"), "node %q: mode quorum needs quorum, the number of approvals that is enough", n.ID)
	}
	if n.Mode != ModeQuorum && n.Quorum != 0 {
		l.add(nodePtr(n, "quorum"), "node %q: quorum applies to mode quorum only", n.ID)
	}
}

func (l *linter) decisionShape(n *cnode) {
	if len(n.out) == 0 {
		l.add(nodePtr(n, ""), "node %q: a decision needs edges going out", n.ID)
		return
	}
	defaults := 0
	for i, e := range n.out {
		switch {
		case e.Outcome != "":
			l.add(edgePtr(e, "outcome"), "edge %s: edges leaving a decision carry a condition, not an outcome", e.name())
		case e.Default && e.Condition != "":
			l.add(edgePtr(e, "condition"), "edge %s: the default edge has no condition", e.name())
		case e.Default:
			defaults++
		case e.Condition == "":
			l.add(edgePtr(e, "condition"), "edge %s: give it a condition, or make it the default", e.name())
		case strings.TrimSpace(e.Condition) == "true" && i == len(n.out)-1:
			defaults++ // an unconditional last edge makes the conditions exhaustive
		}
	}
	switch {
	case defaults == 0:
		l.add(nodePtr(n, ""), "node %q: a decision needs a default edge (or a last condition that is always true), so that no request is left with no way on", n.ID)
	case defaults > 1:
		l.add(nodePtr(n, ""), "node %q: a decision has one default edge, not %d", n.ID, defaults)
	}
}

func (l *linter) waitShape(n *cnode) {
	set := 0
	for _, s := range []string{n.Duration, n.Until, n.Message} {
		if s != "" {
			set++
		}
	}
	if set != 1 {
		l.add(nodePtr(n, ""), "node %q: a wait waits for exactly one of duration, until or message", n.ID)
		return
	}
	if n.Message == "" {
		if n.Timeout != "" {
			l.add(nodePtr(n, "timeout"), "node %q: timeout applies to a wait for a message", n.ID)
		}
		l.plainOut(n, 1)
		return
	}
	outcomes := []string{OutcomeMessage}
	if n.Timeout != "" {
		outcomes = append(outcomes, OutcomeTimeout)
	}
	l.outcomeOut(n, outcomes)
}

// graph checks the whole: every node reachable from the start, every node
// able to reach an end, every parallel split closed by one join.
func (l *linter) graph() {
	reached := map[string]bool{}
	var forward func(n *cnode)
	forward = func(n *cnode) {
		if reached[n.ID] {
			return
		}
		reached[n.ID] = true
		for _, e := range n.out {
			forward(l.w.nodes[e.To])
		}
	}
	forward(l.w.start)
	ending := map[string]bool{}
	var backward func(n *cnode)
	backward = func(n *cnode) {
		if ending[n.ID] {
			return
		}
		ending[n.ID] = true
		for _, e := range n.in {
			backward(l.w.nodes[e.From])
		}
	}
	hasEnd := false
	for _, n := range l.sortedNodes() {
		if n.Kind == NodeEnd {
			hasEnd = true
			backward(n)
		}
	}
	if !hasEnd {
		l.add("/nodes", "the workflow has no end node")
		return
	}
	for _, n := range l.sortedNodes() {
		switch {
		case !reached[n.ID]:
			l.add(nodePtr(n, ""), "node %q: no path from the start reaches it", n.ID)
		case !ending[n.ID]:
			l.add(nodePtr(n, ""), "node %q: no path from it reaches an end, so a request there could never finish", n.ID)
		}
	}
	if len(l.problems) > 0 {
		return
	}
	for _, n := range l.sortedNodes() {
		if n.Kind == NodeParallel {
			l.matchJoin(n)
		}
	}
	for _, n := range l.sortedNodes() {
		if n.Kind == NodeJoin && l.splitOf[n.ID] == "" {
			l.add(nodePtr(n, ""), "node %q: this join closes no parallel split; its branches would never all arrive", n.ID)
		}
	}
}

// matchJoin finds the one join every branch of split p reaches, and
// reports branches that end, loop back or meet elsewhere: each would leave
// the join waiting forever.
func (l *linter) matchJoin(p *cnode) string {
	if j, ok := l.joinOf[p.ID]; ok {
		return j
	}
	if l.visiting[p.ID] {
		return ""
	}
	l.visiting[p.ID] = true
	defer delete(l.visiting, p.ID)
	joins := map[string]bool{}
	bad := false
	for _, branch := range p.out {
		seen := map[string]bool{}
		var walk func(n *cnode)
		walk = func(n *cnode) {
			if seen[n.ID] || bad {
				return
			}
			seen[n.ID] = true
			switch {
			case n == p:
				l.add(edgePtr(branch, ""), "edge %s: a branch of parallel %q leads back to the split itself before joining", branch.name(), p.ID)
				bad = true
			case n.Kind == NodeJoin:
				joins[n.ID] = true
			case n.Kind == NodeEnd:
				l.add(edgePtr(branch, ""), "edge %s: a branch of parallel %q can reach end %q without joining the other branches", branch.name(), p.ID, n.ID)
				bad = true
			case n.Kind == NodeParallel:
				if j := l.matchJoin(n); j != "" {
					for _, e := range l.w.nodes[j].out {
						walk(l.w.nodes[e.To])
					}
				}
			default:
				for _, e := range n.out {
					walk(l.w.nodes[e.To])
				}
			}
		}
		walk(l.w.nodes[branch.To])
	}
	if bad {
		return ""
	}
	if len(joins) != 1 {
		names := make([]string, 0, len(joins))
		for j := range joins {
			names = append(names, strconv.Quote(j))
		}
		sort.Strings(names)
		l.add(nodePtr(p, ""), "node %q: the branches of a parallel split must all meet at one join, not %s", p.ID, orNone(names))
		return ""
	}
	var j string
	for j = range joins {
	}
	if other := l.splitOf[j]; other != "" && other != p.ID {
		l.add(nodePtr(l.w.nodes[j], ""), "node %q: this join closes both %q and %q; give each parallel split its own join", j, other, p.ID)
		return ""
	}
	l.joinOf[p.ID], l.splitOf[j] = j, p.ID
	p.join = j
	return j
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, " and ")
}

// expressions compiles every expression of n (and the conditions of the
// edges leaving it) and checks the names it refers to.
func (l *linter) expressions(n *cnode) {
	env := l.deps.Env
	compile := func(field, src string, want rules.Kind) *rules.Program {
		if src == "" {
			return nil
		}
		p, err := env.Compile(src, want)
		if err != nil {
			l.add(nodePtr(n, field), "node %q, %s: %s", n.ID, field, ruleMessage(err))
		}
		return p
	}
	n.assignee = compile("assignee", n.Assignee, rules.String)
	n.group = compile("group", n.Group, rules.String)
	n.approvers = compile("approvers", n.Approvers, rules.Any)
	n.priority = compile("priority", n.Priority, rules.String)
	n.until = compile("until", n.Until, rules.Any)
	n.message = compile("message", n.Message, rules.String)
	for _, name := range sortedKeys(n.Set) {
		if !fieldName.MatchString(name) {
			l.add(nodePtr(n, "set/"+name), "node %q: %q is not a field name", n.ID, name)
			continue
		}
		if _, err := env.Compile("form."+name, rules.Any); err != nil {
			l.add(nodePtr(n, "set/"+name), "node %q, set: the form has no field %q (%s)", n.ID, name, ruleMessage(err))
			continue
		}
		n.set = append(n.set, namedProgram{name, compile("set/"+name, n.Set[name], rules.Any)})
	}
	if n.Webhook != nil {
		for _, name := range sortedKeys(n.Webhook.Body) {
			n.webhookBody = append(n.webhookBody, namedProgram{name, compile("webhook/body/"+name, n.Webhook.Body[name], rules.Any)})
		}
	}
	if n.Notify != nil {
		if n.Notify.To == "" || len(n.Notify.Subject) == 0 {
			l.add(nodePtr(n, "notify"), "node %q: a notification needs to (an expression) and a subject", n.ID)
		}
		n.notifyTo = compile("notify/to", n.Notify.To, rules.Any)
	}
	for _, e := range n.out {
		if e.Condition != "" {
			p, err := env.Compile(e.Condition, rules.Bool)
			if err != nil {
				l.add(edgePtr(e, "condition"), "edge %s, condition: %s", e.name(), ruleMessage(err))
			}
			e.cond = p
		}
	}
	if n.RuleSet != "" && l.deps.RuleSet != nil {
		if err := l.deps.RuleSet(n.RuleSet); err != nil {
			l.add(nodePtr(n, "ruleSet"), "node %q: rule set %q: %v", n.ID, n.RuleSet, err)
		}
	}
	groups := slices.Clone(n.Groups)
	if n.EscalateTo != "" {
		groups = append(groups, n.EscalateTo)
	}
	for _, g := range groups {
		if l.deps.Group == nil {
			break
		}
		if err := l.deps.Group(g); err != nil {
			l.add(nodePtr(n, "groups"), "node %q: group %q: %v", n.ID, g, err)
		}
	}
	if len(n.Form) > 0 {
		compileForm := l.deps.TaskForm
		if compileForm == nil {
			compileForm = func(key string, schema []byte) (*forms.Compiled, error) {
				return forms.Compile(forms.Form{Key: key, Title: forms.Text{"en": key}, Schema: schema}, nil)
			}
		}
		c, err := compileForm(taskFormKey(l.w.def.Key, n.ID), n.Form)
		if err != nil {
			l.add(nodePtr(n, "form"), "node %q: the task form does not compile: %v", n.ID, err)
		}
		n.taskForm = c
	}
}

// ruleMessage is a compile error as one line: where and what.
func ruleMessage(err error) string {
	var ce *rules.CompileError
	if errors.As(err, &ce) {
		return fmt.Sprintf("line %d, column %d: %s", ce.Line, ce.Column, ce.Message)
	}
	return err.Error()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// taskFormKey names a task form after its workflow and node, in the shape
// form keys take.
func taskFormKey(workflow, node string) string {
	k := strings.ToLower(strings.ReplaceAll(workflow+"-"+node, "_", "-"))
	if len(k) > 60 {
		k = k[:60]
	}
	return strings.TrimRight(k, "-")
}
