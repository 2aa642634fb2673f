global using Microsoft.Extensions.Options;
global using Platform.Infrastructure;
