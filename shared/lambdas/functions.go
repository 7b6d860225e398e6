package lambdas

import (
	"github.com/openrasp/rasp/shared/localgateway"
	"github.com/openrasp/rasp/shared/routes"
)

// HTTPFunctions returns the Lambda handler of every HTTP function, for the
// local gateway and for tests that go through it.
func HTTPFunctions(d Deps) map[string]localgateway.LambdaHandler {
	return map[string]localgateway.LambdaHandler{
		routes.FnStart:   Start(d).Handle,
		routes.FnAnswers: Answers(d).Handle,
		routes.FnScore:   Score(d).Handle,
		routes.FnCompare: Compare(d).Handle,
		routes.FnWeb:     Web(d).Handle,
	}
}
