using System.CommandLine;

namespace Trellis.Cli;

/// <summary>Entry point of the <c>trellis</c> command.</summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.OpenStandardInput());

    /// <summary>Runs the command line with explicit streams so tests can drive it in process.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, Stream input)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = CommandTree.Build(new CommandContext(output, error, input));
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Unexpected exceptions are turned into one-line errors by CommandTree; never print a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return parsed.Invoke(configuration);
        }
        catch (Exception e)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
