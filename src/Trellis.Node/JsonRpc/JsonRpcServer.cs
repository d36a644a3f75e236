using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST and WebSocket: parsing, validation, batches, notifications, limits and dispatch to
/// the handlers of a <see cref="JsonRpcMethodRegistry"/>. Map it with
/// <see cref="JsonRpcEndpointRouteBuilderExtensions.MapTrellisJsonRpc"/> or host it with <see cref="JsonRpcHost"/>.
/// </summary>
public sealed partial class JsonRpcServer
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    // The state of each call in a run whose batch preparer threw.
    private static readonly object PreparationFailed = new();

    private readonly JsonDocumentOptions _documentOptions;
    private readonly TokenBucketRateLimiter _rateLimiter;
    private readonly ILogger _logger;

    /// <summary>Creates a server for <paramref name="methods"/> with <paramref name="options"/> (defaults when null).</summary>
    public JsonRpcServer(JsonRpcMethodRegistry methods, JsonRpcOptions? options = null, ILogger<JsonRpcServer>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(methods);
        Methods = methods;
        Options = options ?? new JsonRpcOptions();
        Options.Validate();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _documentOptions = new JsonDocumentOptions { MaxDepth = Options.MaxJsonDepth };
        _rateLimiter = new TokenBucketRateLimiter(Options.RateLimitPerSecond, Options.RateLimitBurst, time ?? TimeProvider.System);
    }

    /// <summary>The methods served.</summary>
    public JsonRpcMethodRegistry Methods { get; }

    /// <summary>The limits in force.</summary>
    public JsonRpcOptions Options { get; }

    /// <summary>Who may call <c>admin_</c> methods (default: nobody).</summary>
    public AdminAccess Admin { get; init; } = AdminAccess.Disabled;

    /// <summary>
    /// Processes one request text (a single call or a batch) and returns the response text, or null when nothing
    /// is to be sent back (only notifications).
    /// </summary>
    public async ValueTask<byte[]?> ProcessAsync(ReadOnlyMemory<byte> request, JsonRpcCallContext context)
    {
        var (body, _) = await ProcessWithStatusAsync(request, context).ConfigureAwait(false);
        return body;
    }

    /// <summary>Serves one HTTP request: a POST with JSON, or a WebSocket upgrade.</summary>
    public async Task HandleHttpAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.WebSockets.IsWebSocketRequest)
        {
            await HandleWebSocketAsync(http).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            await WriteHttpAsync(http, StatusCodes.Status405MethodNotAllowed,
                ErrorResponse(default, JsonRpcErrorCodes.InvalidRequest, $"JSON-RPC over HTTP needs POST (or a WebSocket upgrade), got {http.Request.Method}")).ConfigureAwait(false);
            return;
        }

        int limit = Options.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            await WriteHttpAsync(http, StatusCodes.Status413PayloadTooLarge, TooLarge(http.Request.ContentLength.Value)).ConfigureAwait(false);
            return;
        }

        // The limit is enforced here, with a JSON-RPC body, rather than by Kestrel's bare 413.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(http.Request.ContentLength ?? 16 * 1024, limit) + 1);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), http.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    await WriteHttpAsync(http, StatusCodes.Status413PayloadTooLarge, TooLarge(length)).ConfigureAwait(false);
                    return;
                }
            }

            var context = new JsonRpcCallContext(http.Connection.RemoteIpAddress, null, http.RequestAborted)
            {
                Admin = Admin.Decide(http.Connection.RemoteIpAddress, http.Request.Headers.Authorization),
            };
            var (body, status) = await ProcessWithStatusAsync(buffer.AsMemory(0, length), context).ConfigureAwait(false);
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteHttpAsync(http, status, body).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Serves one WebSocket connection until it closes: each text message is a request or batch.</summary>
    public async Task HandleWebSocketAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await WriteHttpAsync(http, StatusCodes.Status400BadRequest,
                ErrorResponse(default, JsonRpcErrorCodes.InvalidRequest, "expected a WebSocket upgrade request")).ConfigureAwait(false);
            return;
        }

        using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        string remote = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var connection = new WebSocketConnection(socket, Options.WebSocketSendQueueCapacity, _logger, remote, http.RequestAborted);
        Task sendLoop = connection.RunSendLoopAsync();
        // The upgrade request's Authorization header decides admin access for the whole connection.
        var context = new JsonRpcCallContext(http.Connection.RemoteIpAddress, connection, connection.Closed)
        {
            Admin = Admin.Decide(http.Connection.RemoteIpAddress, http.Request.Headers.Authorization),
        };
        int limit = Options.MaxRequestBodyBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(16 * 1024, limit + 1));
        bool clientClosed = false;
        try
        {
            while (!connection.Closed.IsCancellationRequested)
            {
                int length = 0;
                bool tooLarge = false;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(length), connection.Closed).ConfigureAwait(false);
                    length += received.Count;
                    if (length > limit)
                    {
                        tooLarge = true;
                        break;
                    }
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    clientClosed = true;
                    break;
                }

                if (tooLarge)
                {
                    // The rest of the message cannot be skipped safely; answer and close.
                    connection.TrySend(TooLarge(length));
                    connection.CompleteSending();
                    await sendLoop.ConfigureAwait(false);
                    await CloseQuietlyAsync(socket, WebSocketCloseStatus.MessageTooBig, $"message exceeds {limit} bytes").ConfigureAwait(false);
                    return;
                }

                var (body, _) = await ProcessWithStatusAsync(buffer.AsMemory(0, length), context).ConfigureAwait(false);
                if (body is not null && !connection.TrySend(body))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The client vanished or was aborted as too slow.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            connection.CompleteSending();
            await sendLoop.ConfigureAwait(false);
            if (clientClosed)
            {
                await CloseQuietlyAsync(socket, WebSocketCloseStatus.NormalClosure, null).ConfigureAwait(false);
            }

            connection.MarkClosed();
        }
    }

    internal async ValueTask<(byte[]? Body, int HttpStatus)> ProcessWithStatusAsync(ReadOnlyMemory<byte> request, JsonRpcCallContext context)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request, _documentOptions);
        }
        catch (JsonException e)
        {
            return (ErrorResponse(default, JsonRpcErrorCodes.ParseError, "parse error: " + e.Message), StatusCodes.Status200OK);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                if (!_rateLimiter.TryAcquire(context.RemoteAddress, 1))
                {
                    JsonElement id = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out JsonElement i) && IsValidId(i) ? i : default;
                    return (RateLimited(id, context.RemoteAddress), StatusCodes.Status429TooManyRequests);
                }

                var single = new ArrayBufferWriter<byte>(256);
                int status = await ProcessCallAsync(root, context, single).ConfigureAwait(false);
                return status == 0 ? (null, StatusCodes.Status204NoContent) : (single.WrittenSpan.ToArray(), status);
            }

            int count = root.GetArrayLength();
            if (count == 0)
            {
                return (ErrorResponse(default, JsonRpcErrorCodes.InvalidRequest, "invalid request: empty batch"), StatusCodes.Status200OK);
            }

            if (count > Options.MaxBatchSize)
            {
                return (ErrorResponse(default, JsonRpcErrorCodes.LimitExceeded, $"batch of {count} calls exceeds the limit of {Options.MaxBatchSize}"), StatusCodes.Status200OK);
            }

            if (!_rateLimiter.TryAcquire(context.RemoteAddress, count))
            {
                return (RateLimited(default, context.RemoteAddress), StatusCodes.Status429TooManyRequests);
            }

            var output = new ArrayBufferWriter<byte>(256 * count);
            var scratch = new ArrayBufferWriter<byte>(256);
            int responses = 0;
            var calls = new JsonElement[count];
            int index = 0;
            foreach (JsonElement call in root.EnumerateArray())
            {
                calls[index++] = call;
            }

            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                writer.WriteStartArray();
                PreparedRun run = default;
                try
                {
                    for (int i = 0; i < count; i++)
                    {
                        if (i >= run.End)
                        {
                            run = await PrepareRunAsync(calls, i, context).ConfigureAwait(false);
                        }

                        context.Prepared = run.States is { } states && i >= run.Start ? states[i - run.Start] : null;
                        scratch.ResetWrittenCount();
                        // Each element is authorised on its own; a batch is answered 200 even when some are refused.
                        if (await ProcessCallAsync(calls[i], context, scratch).ConfigureAwait(false) != 0)
                        {
                            writer.WriteRawValue(scratch.WrittenSpan, skipInputValidation: true);
                            responses++;
                        }
                    }
                }
                finally
                {
                    context.Prepared = null;
                }

                writer.WriteEndArray();
            }

            return responses == 0 ? (null, StatusCodes.Status204NoContent) : (output.WrittenSpan.ToArray(), StatusCodes.Status200OK);
        }
    }

    /// <summary>
    /// Finds the run of consecutive calls from <paramref name="start"/> that reach the same handler (checked as
    /// <see cref="ProcessCallAsync"/> checks them) and, if the method has a batch preparer and the run has more than
    /// one call, prepares them. A call that does not start such a run ends at <paramref name="start"/> + 1 unprepared.
    /// </summary>
    private async ValueTask<PreparedRun> PrepareRunAsync(JsonElement[] calls, int start, JsonRpcCallContext context)
    {
        if (!TryGetDispatch(calls[start], context, out string? method, out JsonRpcParams first) || !Methods.TryGetBatchPreparer(method, out JsonRpcBatchPreparer? preparer))
        {
            return new PreparedRun(start, start + 1, null);
        }

        var parameters = new List<JsonRpcParams> { first };
        int end = start + 1;
        while (end < calls.Length && TryGetDispatch(calls[end], context, out string? next, out JsonRpcParams p) && next == method)
        {
            parameters.Add(p);
            end++;
        }

        if (parameters.Count < 2)
        {
            return new PreparedRun(start, end, null);
        }

        try
        {
            object?[] states = await preparer(context, parameters).ConfigureAwait(false);
            return new PreparedRun(start, end, states.Length == parameters.Count ? states : null);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Part of the work may be done, so the handlers must not repeat it: each call is answered as a handler
            // that threw would be.
            LogHandlerFailure(_logger, e, method);
            var failed = new object?[parameters.Count];
            Array.Fill(failed, PreparationFailed);
            return new PreparedRun(start, end, failed);
        }
    }

    // True when ProcessCallAsync would hand this call to a registered handler (the same checks, in the same order).
    private bool TryGetDispatch(JsonElement call, JsonRpcCallContext context, [NotNullWhen(true)] out string? method, out JsonRpcParams parameters)
    {
        method = null;
        if (ReadCall(call, out _, out _, out string? name, out parameters) != CallShape.Valid
            || (AdminAccess.IsAdminMethod(name!) && context.Admin != AdminDecision.Allowed) || !Methods.TryGet(name!, out _))
        {
            return false;
        }

        method = name!;
        return true;
    }

    // The request object's checks, in the order JSON-RPC 2.0 implies: an object, a valid id (absent for a
    // notification), jsonrpc "2.0", a string method, and params an array or null. Sets what it could read.
    private static CallShape ReadCall(JsonElement call, out JsonElement id, out bool isNotification, out string? method, out JsonRpcParams parameters)
    {
        id = default;
        isNotification = false;
        method = null;
        parameters = default;
        if (call.ValueKind != JsonValueKind.Object)
        {
            return CallShape.NotAnObject;
        }

        isNotification = !call.TryGetProperty("id"u8, out id);
        if (!isNotification && !IsValidId(id))
        {
            return CallShape.BadId;
        }

        if (!call.TryGetProperty("jsonrpc"u8, out JsonElement version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"u8))
        {
            return CallShape.BadVersion;
        }

        if (!call.TryGetProperty("method"u8, out JsonElement methodElement) || methodElement.ValueKind != JsonValueKind.String)
        {
            return CallShape.BadMethod;
        }

        if (call.TryGetProperty("params"u8, out JsonElement paramsElement))
        {
            switch (paramsElement.ValueKind)
            {
                case JsonValueKind.Array:
                    parameters = new JsonRpcParams(paramsElement);
                    break;
                case JsonValueKind.Null:
                    break;
                case JsonValueKind.Object:
                    return CallShape.ParamsByName;
                default:
                    return CallShape.BadParams;
            }
        }

        method = methodElement.GetString()!;
        return CallShape.Valid;
    }

    /// <summary>
    /// Validates and runs one call, writing its response to <paramref name="output"/>. Returns 0 when nothing is written
    /// (a notification), else the HTTP status the call alone would get (200, or 401/403 for a refused admin call).
    /// </summary>
    private async ValueTask<int> ProcessCallAsync(JsonElement call, JsonRpcCallContext context, ArrayBufferWriter<byte> output)
    {
        CallShape shape = ReadCall(call, out JsonElement id, out bool isNotification, out string? name, out JsonRpcParams parameters);
        switch (shape)
        {
            case CallShape.NotAnObject:
                WriteError(output, default, JsonRpcErrorCodes.InvalidRequest, $"invalid request: expected a JSON object, got {JsonRpcValue.Quote(call)}");
                return StatusCodes.Status200OK;
            case CallShape.BadId:
                WriteError(output, default, JsonRpcErrorCodes.InvalidRequest, $"invalid request: id must be a string, number or null, got {JsonRpcValue.Quote(id)}");
                return StatusCodes.Status200OK;
            case CallShape.BadVersion:
                call.TryGetProperty("jsonrpc", out JsonElement version);
                WriteError(output, id, JsonRpcErrorCodes.InvalidRequest, $"invalid request: jsonrpc must be \"2.0\", got {JsonRpcValue.Quote(version)}");
                return StatusCodes.Status200OK;
            case CallShape.BadMethod:
                call.TryGetProperty("method", out JsonElement methodElement);
                WriteError(output, id, JsonRpcErrorCodes.InvalidRequest, $"invalid request: method must be a string, got {JsonRpcValue.Quote(methodElement)}");
                return StatusCodes.Status200OK;
            case CallShape.ParamsByName:
                WriteErrorUnlessNotification(output, isNotification, id, JsonRpcErrorCodes.InvalidParams, "params must be an array; parameters by name are not supported");
                return isNotification ? 0 : StatusCodes.Status200OK;
            case CallShape.BadParams:
                call.TryGetProperty("params", out JsonElement paramsElement);
                WriteError(output, id, JsonRpcErrorCodes.InvalidRequest, $"invalid request: params must be an array, got {JsonRpcValue.Quote(paramsElement)}");
                return StatusCodes.Status200OK;
        }

        string method = name!;
        if (AdminAccess.IsAdminMethod(method) && context.Admin != AdminDecision.Allowed)
        {
            // Refused before the registry is asked, so a caller without access cannot learn which admin methods exist.
            (int code, string message, int status) = Refusal(context.Admin, method);
            if (context.Admin != AdminDecision.Disabled)
            {
                LogAdminRefused(_logger, Truncate(method), context.RemoteAddress?.ToString() ?? "unknown", context.Admin);
            }

            WriteErrorUnlessNotification(output, isNotification, id, code, message);
            return isNotification ? 0 : status;
        }

        if (!Methods.TryGet(method, out JsonRpcHandler? handler))
        {
            WriteErrorUnlessNotification(output, isNotification, id, JsonRpcErrorCodes.MethodNotFound, $"the method {Truncate(method)} does not exist/is not available");
            return isNotification ? 0 : StatusCodes.Status200OK;
        }

        var result = new ArrayBufferWriter<byte>(128);
        try
        {
            using (var resultWriter = new Utf8JsonWriter(result, WriterOptions))
            {
                if (ReferenceEquals(context.Prepared, PreparationFailed))
                {
                    throw new InvalidOperationException($"the batch preparer of {method} failed");
                }

                await handler(context, parameters, resultWriter).ConfigureAwait(false);
                resultWriter.Flush();
                if (result.WrittenCount == 0 || resultWriter.CurrentDepth != 0)
                {
                    throw new InvalidOperationException($"the handler of {method} did not write one complete JSON value");
                }
            }
        }
        catch (JsonRpcException e)
        {
            WriteErrorUnlessNotification(output, isNotification, id, e.Code, e.Message, e.ErrorData);
            return isNotification ? 0 : StatusCodes.Status200OK;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Never show internals to the client; the log has them.
            LogHandlerFailure(_logger, e, method);
            WriteErrorUnlessNotification(output, isNotification, id, JsonRpcErrorCodes.InternalError, $"internal error in {method}");
            return isNotification ? 0 : StatusCodes.Status200OK;
        }

        if (isNotification)
        {
            return 0;
        }

        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            writer.WritePropertyName("result"u8);
            writer.WriteRawValue(result.WrittenSpan, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return StatusCodes.Status200OK;
    }

    private static bool IsValidId(JsonElement id) => id.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null;

    private static void WriteErrorUnlessNotification(ArrayBufferWriter<byte> output, bool isNotification, JsonElement id, int code, string message, string? data = null)
    {
        if (!isNotification)
        {
            WriteError(output, id, code, message, data);
        }
    }

    private static void WriteError(ArrayBufferWriter<byte> output, JsonElement id, int code, string message, string? data = null)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(writer);
        }

        writer.WriteStartObject("error"u8);
        writer.WriteNumber("code"u8, code);
        writer.WriteString("message"u8, message);
        if (data is not null)
        {
            writer.WriteString("data"u8, data);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static byte[] ErrorResponse(JsonElement id, int code, string message)
    {
        var output = new ArrayBufferWriter<byte>(128);
        WriteError(output, id, code, message);
        return output.WrittenSpan.ToArray();
    }

    private byte[] TooLarge(long length) =>
        ErrorResponse(default, JsonRpcErrorCodes.LimitExceeded, $"request of {length} bytes exceeds the limit of {Options.MaxRequestBodyBytes} bytes");

    private byte[] RateLimited(JsonElement id, IPAddress? remote) =>
        ErrorResponse(id, JsonRpcErrorCodes.LimitExceeded,
            $"rate limit exceeded for {remote?.ToString() ?? "unknown client"}: {Options.RateLimitPerSecond} requests/s with a burst of {Options.RateLimitBurst}");

    /// <summary>The error a refused admin call gets: code, client message (no hint about the key) and HTTP status.</summary>
    private static (int Code, string Message, int HttpStatus) Refusal(AdminDecision decision, string method) => decision switch
    {
        AdminDecision.Disabled => (JsonRpcErrorCodes.MethodNotFound, $"admin method disabled: {Truncate(method)} is not served because admin.enabled is false in this node's configuration", StatusCodes.Status200OK),
        AdminDecision.RemoteNotAllowed => (JsonRpcErrorCodes.Unauthorized, "unauthorized: admin methods are served only to loopback clients on this node (admin.allowRemote is false)", StatusCodes.Status403Forbidden),
        _ => (JsonRpcErrorCodes.Unauthorized, "unauthorized: admin methods need this node's admin API key as an Authorization: Bearer header", StatusCodes.Status401Unauthorized),
    };

    private static string Truncate(string method) => method.Length <= 80 ? method : string.Concat(method.AsSpan(0, 77), "...");

    private static async Task WriteHttpAsync(HttpContext http, int status, byte[]? body)
    {
        http.Response.StatusCode = status;
        if (body is null)
        {
            return;
        }

        http.Response.ContentType = "application/json";
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketCloseStatus status, string? reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closing is a courtesy; the socket is disposed either way.
        }
    }

    // What ReadCall found wrong with a request object, if anything.
    private enum CallShape
    {
        Valid,
        NotAnObject,
        BadId,
        BadVersion,
        BadMethod,
        ParamsByName,
        BadParams,
    }

    // Calls [Start, End) of a batch and what their preparer did for each (null: not prepared).
    private readonly record struct PreparedRun(int Start, int End, object?[]? States);

    [LoggerMessage(Level = LogLevel.Warning, Message = "refused admin call {Method} from {Remote}: {Reason}")]
    private static partial void LogAdminRefused(ILogger logger, string method, string remote, AdminDecision reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "JSON-RPC method {Method} failed")]
    private static partial void LogHandlerFailure(ILogger logger, Exception exception, string method);
}
