using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>How an operator command shows a node's JSON answer; wall time is when the answer came (UTC).</summary>
public delegate IRenderable NodeView(JsonElement answer, DateTime wallTime);

/// <summary>Writes a view to standard output: in colour on a terminal, plain and wide (never wrapped) into a file or a pipe.</summary>
public static class Terminal
{
    private const int RedirectedWidth = 200;

    public static void Write(IRenderable view)
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        console.Write(view);
    }
}
