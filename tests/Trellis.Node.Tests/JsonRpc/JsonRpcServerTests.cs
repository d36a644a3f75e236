using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Tests.JsonRpc;

public class JsonRpcServerTests
{
    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[1]")]
    [InlineData("not json at all")]
    [InlineData("{'jsonrpc':'2.0'}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",}")]
    [InlineData("")]
    public async Task MalformedOrTruncatedJson_GetsParseErrorWithNullId(string body)
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync(body);
        Assert.Equal(JsonRpcErrorCodes.ParseError, TestServer.Code(response));
        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"test_echo\"}", "jsonrpc must be \"2.0\"")]
    [InlineData("{\"id\":7,\"method\":\"test_echo\"}", "jsonrpc must be \"2.0\"")]
    [InlineData("{\"jsonrpc\":2.0,\"id\":7,\"method\":\"test_echo\"}", "jsonrpc must be \"2.0\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7}", "method must be a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":42}", "method must be a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"test_echo\",\"params\":\"x\"}", "params must be an array")]
    public async Task InvalidRequestObject_GetsInvalidRequestEchoingTheId(string body, string reason)
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync(body);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(response));
        Assert.Contains(reason, TestServer.Message(response), StringComparison.Ordinal);
        Assert.Equal(7, response.GetProperty("id").GetInt32());
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("[1]")]
    [InlineData("true")]
    public async Task BadIdType_GetsInvalidRequestWithNullId(string id)
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"test_echo\",\"params\":[1]}}");
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(response));
        Assert.Contains("id must be a string, number or null", TestServer.Message(response), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, response.GetProperty("id").ValueKind);
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("null")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890")]
    [InlineData("1e400")]
    [InlineData("-0.5")]
    public async Task Id_IsEchoedVerbatim(string id)
    {
        await using var server = await TestServer.StartAsync();
        var (_, body) = await server.Client.PostRawAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"test_echo\",\"params\":[5]}}");
        Assert.Equal($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":5}}", body);
    }

    [Fact]
    public async Task UnknownMethod_GetsMethodNotFoundNamingIt()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.CallAsync("eth_doesNotExist");
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, TestServer.Code(response));
        Assert.Equal("the method eth_doesNotExist does not exist/is not available", TestServer.Message(response));
    }

    [Fact]
    public async Task NamedParams_GetInvalidParams()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":{\"a\":1}}");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, TestServer.Code(response));
    }

    [Theory]
    [InlineData("[\"0x12\"]", "params[0]: expected a 20-byte address, got \"0x12\"")]
    [InlineData("[12]", "params[0]: expected a 20-byte address, got 12")]
    [InlineData("[]", "expected 1 parameters, got 0")]
    [InlineData("[\"0x0000000000000000000000000000000000000001\", 2]", "expected 1 parameters, got 2")]
    [InlineData("[\"0x000000000000000000000000000000000000000g\"]", "non-hex character 'g'")]
    [InlineData("[\"0000000000000000000000000000000000000001\"]", "missing 0x prefix")]
    public async Task WrongParameter_GetsInvalidParamsNamingItAndTheRule(string parameters, string message)
    {
        await using var server = await TestServer.StartAsync();
        JsonElement error = await server.Client.ErrorAsync("test_address", parameters);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, error.GetProperty("code").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeQuantity_GetsInvalidParamsNotACrash()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement error = await server.Client.ErrorAsync("test_quantity", $"[\"0x1{new string('0', 64)}\"]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, error.GetProperty("code").GetInt32());
        Assert.Contains("at most 256 bits", error.GetProperty("message").GetString()!, StringComparison.Ordinal);

        JsonElement numberError = await server.Client.ErrorAsync("test_quantity", $"[1{new string('0', 400)}]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, numberError.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task HandlerCrash_GetsInternalErrorWithoutDetails()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.Client.PostRawAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_crash\"}");
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement response = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonRpcErrorCodes.InternalError, TestServer.Code(response));
        Assert.Equal("internal error in test_crash", TestServer.Message(response));
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandlerThatWritesNothing_GetsInternalError()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.CallAsync("test_nothing");
        Assert.Equal(JsonRpcErrorCodes.InternalError, TestServer.Code(response));
    }

    [Fact]
    public async Task ErrorData_IsReturnedBesideCodeAndMessage()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement error = await server.Client.ErrorAsync("test_revert");
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Equal("execution reverted", error.GetProperty("message").GetString());
        Assert.Equal("0xdeadbeef", error.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Notification_GetsNoResponseButRuns()
    {
        await using var server = await TestServer.StartAsync();
        string marker = Guid.NewGuid().ToString();
        var (status, body) = await server.Client.PostRawAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"test_record\",\"params\":[\"{marker}\"]}}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal("", body);
        lock (TestServer.Recorded)
        {
            Assert.Contains(marker, TestServer.Recorded);
        }
    }

    [Fact]
    public async Task NotificationOfUnknownMethod_GetsNoResponse()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.Client.PostRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"nope\"}");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Batch_AnswersInOrderAndSkipsNotifications()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync(
            "[{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"test_slow\",\"params\":[\"0x32\"]}," +
            "{\"jsonrpc\":\"2.0\",\"method\":\"test_echo\",\"params\":[0]}," +
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_echo\",\"params\":[{\"x\":[1,2]}]}," +
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"missing\"}," +
            "5]");
        Assert.Equal(JsonValueKind.Array, response.ValueKind);
        JsonElement[] items = [.. response.EnumerateArray()];
        Assert.Equal(4, items.Length);
        Assert.Equal("a", items[0].GetProperty("id").GetString());
        Assert.Equal("done", items[0].GetProperty("result").GetString());
        Assert.Equal(2, items[1].GetProperty("id").GetInt32());
        Assert.Equal("{\"x\":[1,2]}", items[1].GetProperty("result").GetRawText());
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, TestServer.Code(items[2]));
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(items[3]));
        Assert.Equal(JsonValueKind.Null, items[3].GetProperty("id").ValueKind);
    }

    [Fact]
    public async Task ArrayOfNonObjects_GetsOneInvalidRequestPerElement()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync("[1,\"x\",null]");
        Assert.Equal(3, response.GetArrayLength());
        foreach (JsonElement item in response.EnumerateArray())
        {
            Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(item));
        }
    }

    [Fact]
    public async Task Batch_PreparesEachRunOfConsecutiveCallsToAMethodOnceBeforeItsHandlers()
    {
        var runs = new List<string>();
        await using var server = await TestServer.StartAsync(register: registry =>
        {
            registry.Add("test_prepared", (context, p, w) => w.WriteStringValue(context.Prepared as string ?? "alone " + p.GetString(0)));
            registry.AddBatchPreparer("test_prepared", (_, calls) =>
            {
                string[] names = [.. calls.Select(c => c.GetString(0))];
                lock (runs)
                {
                    runs.Add(string.Join(",", names));
                }

                return ValueTask.FromResult<object?[]>([.. names.Select(n => (object?)("prepared " + n))]);
            });
        });
        static string Call(object id, string name, string version = "2.0") =>
            $"{{\"jsonrpc\":\"{version}\",\"id\":{id},\"method\":\"test_prepared\",\"params\":[\"{name}\"]}}";

        string body = "[" + string.Join(",",
            Call(1, "a"), Call(2, "b"), "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test_echo\",\"params\":[3]}",
            Call(4, "c"), Call(5, "d", "1.0"), Call(6, "e"), Call(7, "f"),
            "{\"jsonrpc\":\"2.0\",\"method\":\"test_prepared\",\"params\":[\"g\"]}") + "]";
        JsonElement responses = await server.Client.PostAsync(body);

        Assert.Equal(["a,b", "e,f,g"], runs);
        Assert.Equal(7, responses.GetArrayLength());
        Assert.Equal("prepared a", responses[0].GetProperty("result").GetString());
        Assert.Equal("prepared b", responses[1].GetProperty("result").GetString());
        Assert.Equal(3, responses[2].GetProperty("result").GetInt32());
        Assert.Equal("alone c", responses[3].GetProperty("result").GetString());
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(responses[4]));
        Assert.Equal("prepared e", responses[5].GetProperty("result").GetString());
        Assert.Equal("prepared f", responses[6].GetProperty("result").GetString());
    }

    [Fact]
    public async Task Batch_WhosePreparerFailsAnswersItsRunWithInternalErrorsWithoutRunningTheHandlers()
    {
        int handled = 0;
        await using var server = await TestServer.StartAsync(register: registry =>
        {
            registry.Add("test_fragile", (_, _, w) => { Interlocked.Increment(ref handled); w.WriteNullValue(); });
            registry.AddBatchPreparer("test_fragile", (_, _) => throw new InvalidOperationException("secret detail"));
        });

        JsonElement responses = await server.Client.PostAsync(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_fragile\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_fragile\"},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"test_echo\",\"params\":[3]}]");

        Assert.Equal(0, handled);
        Assert.Equal(JsonRpcErrorCodes.InternalError, TestServer.Code(responses[0]));
        Assert.Equal("internal error in test_fragile", TestServer.Message(responses[1]));
        Assert.Equal(3, responses[2].GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task BatchOfOnlyNotifications_GetsNoResponse()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.Client.PostRawAsync("[{\"jsonrpc\":\"2.0\",\"method\":\"test_echo\",\"params\":[1]},{\"jsonrpc\":\"2.0\",\"method\":\"test_echo\",\"params\":[2]}]");
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task EmptyBatch_GetsSingleInvalidRequest()
    {
        await using var server = await TestServer.StartAsync();
        JsonElement response = await server.Client.PostAsync("[]");
        Assert.Equal(JsonValueKind.Object, response.ValueKind);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(response));
    }

    [Fact]
    public async Task BatchOverTheLimit_GetsLimitExceeded()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { MaxBatchSize = 3 });
        string call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[1]}";
        JsonElement atLimit = await server.Client.PostAsync($"[{call},{call},{call}]");
        Assert.Equal(3, atLimit.GetArrayLength());
        JsonElement over = await server.Client.PostAsync($"[{call},{call},{call},{call}]");
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, TestServer.Code(over));
        Assert.Equal("batch of 4 calls exceeds the limit of 3", TestServer.Message(over));
    }

    [Fact]
    public async Task OversizedBody_Gets413WithJsonRpcError()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { MaxRequestBodyBytes = 1000 });
        string padding = new('x', 2000);
        var (status, body) = await server.Client.PostRawAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"{padding}\"]}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        JsonElement response = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, TestServer.Code(response));
        Assert.Contains("exceeds the limit of 1000 bytes", TestServer.Message(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedChunkedBodyWithoutLength_Gets413()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { MaxRequestBodyBytes = 1000 });
        var stream = new MemoryStream(Encoding.UTF8.GetBytes($"[\"{new string('y', 5000)}\"]"));
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentLength = null;
        var (status, body) = await server.Client.PostBytesAsync(content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, TestServer.Code(JsonDocument.Parse(body).RootElement));
    }

    [Fact]
    public async Task BodyAtTheLimit_IsAccepted()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { MaxRequestBodyBytes = 1000 });
        string prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"";
        string suffix = "\"]}";
        string body = prefix + new string('z', 1000 - prefix.Length - suffix.Length) + suffix;
        Assert.Equal(1000, Encoding.UTF8.GetByteCount(body));
        JsonElement response = await server.Client.PostAsync(body);
        Assert.True(response.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task DeeplyNestedJson_GetsParseErrorAboutDepth()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { MaxJsonDepth = 16 });
        string nested = new string('[', 100) + new string(']', 100);
        JsonElement response = await server.Client.PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":{nested}}}");
        Assert.Equal(JsonRpcErrorCodes.ParseError, TestServer.Code(response));
        Assert.Contains("depth", TestServer.Message(response), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RateLimitExceeded_GetsLimitExceededAnd429()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { RateLimitPerSecond = 0.001, RateLimitBurst = 3 });
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await server.Client.CallAsync("test_echo", "[1]")).TryGetProperty("result", out _));
        }

        var (status, body) = await server.Client.PostRawAsync("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"test_echo\",\"params\":[1]}");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        JsonElement response = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, TestServer.Code(response));
        Assert.Equal(9, response.GetProperty("id").GetInt32());
        Assert.Contains("rate limit exceeded for 127.0.0.1", TestServer.Message(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RateLimit_CountsEveryCallOfABatch()
    {
        await using var server = await TestServer.StartAsync(new JsonRpcOptions { RateLimitPerSecond = 0.001, RateLimitBurst = 3 });
        string call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[1]}";
        JsonElement response = await server.Client.PostAsync($"[{call},{call},{call},{call}]");
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, TestServer.Code(response));
    }

    [Fact]
    public async Task Get_Gets405()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.Client.GetAsync();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, TestServer.Code(JsonDocument.Parse(body).RootElement));
    }

    [Fact]
    public void Options_WithNonPositiveLimit_AreRejectedNamingTheOption()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new JsonRpcServer(new JsonRpcMethodRegistry(), new JsonRpcOptions { MaxBatchSize = 0 }));
        Assert.Contains("MaxBatchSize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_RejectsDuplicateNames()
    {
        var registry = new JsonRpcMethodRegistry();
        registry.Add("a_b", (_, _, w) => w.WriteNullValue());
        Assert.Throws<InvalidOperationException>(() => registry.Add("a_b", (_, _, w) => w.WriteNullValue()));
    }
}
