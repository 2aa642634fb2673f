global using Microsoft.AspNetCore.Http.HttpResults;
global using Platform.Domain.Errors;
global using Platform.Infrastructure;
