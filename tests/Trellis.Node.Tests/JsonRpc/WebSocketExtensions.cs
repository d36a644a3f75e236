using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Trellis.Node.Tests.JsonRpc;

/// <summary>Send and receive whole JSON messages on a client WebSocket, with a timeout.</summary>
internal static class WebSocketExtensions
{
    public static Task SendTextAsync(this ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message, or null when the server closed the connection.</summary>
    public static async Task<JsonElement?> ReceiveJsonAsync(this ClientWebSocket socket, int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonDocument.Parse(message.ToArray()).RootElement;
            }
        }
    }

    /// <summary>Sends a call and returns the next message (the response, when no notifications are due).</summary>
    public static async Task<JsonElement> CallAsync(this ClientWebSocket socket, string method, string paramsJson, int id = 1)
    {
        await socket.SendTextAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{paramsJson}}}");
        JsonElement? response = await socket.ReceiveJsonAsync();
        Assert.NotNull(response);
        return response.Value;
    }
}
