using System.Text;

namespace Trellis.Cli.Tests;

/// <summary>Runs the trellis command in process with captured streams.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) RunWithInput(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(stdin));
        var code = Program.Run(args, output, error, input);
        return (code, output.ToString(), error.ToString());
    }

    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWithInput("", args);
}
