// Command floor is the smallest Go Lambda: it answers every event with an
// empty 200. `make bench` starts it exactly like the real functions, so its
// time is the floor of the cold start proxy on the machine at hand (exec,
// Go runtime start, two Runtime API round trips); what a function takes
// beyond it is its own start-up and first request.
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context, json.RawMessage) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
}
