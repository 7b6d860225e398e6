package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/openrasp/rasp/shared/routes"
)

// suppressNagFindings records, with reasons, the AwsSolutions findings this
// stack accepts. Each suppression is as narrow as cdk-nag allows: one rule,
// on the resources it concerns, for the exact resource ARNs it names.
func suppressNagFindings(stack awscdk.Stack, props *RaspStackProps, functions map[string]awslambda.Function,
	table awsdynamodb.TableV2, api awsapigatewayv2.HttpApi, dlq awssqs.Queue) {
	tableID := *stack.GetLogicalId(table.Node().DefaultChild().(awscdk.CfnElement))
	for _, fn := range functions {
		s := []*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("The table grants (GrantReadData/GrantReadWriteData) cover the table's own indexes as " +
				"<table ARN>/index/*. The table has only the sparse 'due' index and the wildcard reaches no other table."),
			AppliesTo: &[]interface{}{"Resource::<" + tableID + ".Arn>/index/*"},
		}}
		if props.TracingEnabled {
			s = append(s, &cdknag.NagPackSuppression{
				Id: jsii.String("AwsSolutions-IAM5"),
				Reason: jsii.String("X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support " +
					"resource-level permissions, so their resource must be '*' " +
					"(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html)."),
				AppliesTo: &[]interface{}{"Resource::*"},
			})
		}
		cdknag.NagSuppressions_AddResourceSuppressions(fn.Role(), &s, jsii.Bool(true))
	}

	remindersID := *stack.GetLogicalId(functions[routes.FnReminders].Node().DefaultChild().(awscdk.CfnElement))
	cdknag.NagSuppressions_AddStackSuppressions(stack, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("The schedule's role may invoke the reminders function; the Lambda grant also names " +
			"'<function ARN>:*', the versions and aliases of that same function, and no other function."),
		AppliesTo: &[]interface{}{"Resource::<" + remindersID + ".Arn>:*"},
	}}, nil)

	cdknag.NagSuppressions_AddResourceSuppressions(api, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-APIG4"),
		Reason: jsii.String("RASP has no user accounts by design. Each route's function checks the credential its " +
			"routes.Auth names: the capability token of the assessment or partnership in the path, or the HttpOnly " +
			"session cookie for web pages; public routes (health, question bank, start) need none. The stage is " +
			"throttled and every request is access-logged."),
	}}, jsii.Bool(true))

	cdknag.NagSuppressions_AddResourceSuppressions(dlq, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-SQS3"),
		Reason: jsii.String("This queue is itself a dead-letter queue: the reminder schedule's " +
			"(EventBridge Scheduler DeadLetterConfig), which SQS3 does not recognise, as it only follows SQS redrive policies."),
	}}, jsii.Bool(true))
}
