// Command control is the empty Go Lambda of bench/floor with 20 ms of sleep
// in init. `make bench` measures it beside the real functions: it must come
// out over the cold-start ratio goal, which shows that the goal can fail.
package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	time.Sleep(20 * time.Millisecond)
	lambda.Start(func(context.Context, json.RawMessage) (events.APIGatewayV2HTTPResponse, error) {
		return events.APIGatewayV2HTTPResponse{StatusCode: 200}, nil
	})
}
