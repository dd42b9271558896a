//! The slash commands faqbot registers, and registering them.

use serenity::all::{
    CommandOptionType, CommandType, CreateCommand, CreateCommandOption, GuildId, Http, Permissions,
};

/// The message command (Apps menu → "Find FAQ answer"). Its name is what people see.
pub const FIND_ANSWER: &str = "Find FAQ answer";

/// How long a question typed into `/ask` (or a topic into `/faq`) may be: long enough
/// for any real question. Ours, not Discord's (it allows 6000); the matcher reads at
/// most `matcher.max_question_chars` of it.
pub const TYPED_QUESTION_MAX_CHARS: u16 = 300;

pub fn all() -> Vec<CreateCommand> {
    vec![
        CreateCommand::new("ask")
            .description("Ask a question; the bot answers from the FAQs")
            .add_option(
                CreateCommandOption::new(CommandOptionType::String, "question", "Your question")
                    .required(true)
                    .min_length(1)
                    .max_length(TYPED_QUESTION_MAX_CHARS),
            ),
        CreateCommand::new("faq")
            .description("Browse the FAQs: pick a topic, or leave it empty to list every question")
            .add_option(
                CreateCommandOption::new(
                    CommandOptionType::String,
                    "topic",
                    "Start typing to search the questions",
                )
                .required(false)
                .set_autocomplete(true)
                .max_length(TYPED_QUESTION_MAX_CHARS),
            )
            .add_option(CreateCommandOption::new(
                CommandOptionType::User,
                "to",
                "Post the answer in this channel for this member (they are notified)",
            )),
        CreateCommand::new(FIND_ANSWER).kind(CommandType::Message),
        CreateCommand::new("help").description("How to get answers from this bot here"),
        // Discord hides it from members without Manage Server; the handler checks again,
        // since a server can override command permissions.
        CreateCommand::new("reload")
            .description("Reload the FAQ files (admins)")
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .dm_permission(false),
        CreateCommand::new("faqadmin")
            .description("What people ask, and what the bot learned from it (admins)")
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .dm_permission(false)
            .add_option(CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "suggestions",
                "Review suggested aliases and missing FAQs: approve or reject",
            ))
            .add_option(CreateCommandOption::new(
                CommandOptionType::SubCommand,
                "stats",
                "Questions, answers and feedback of the last 7 days",
            )),
    ]
}

/// Registers the commands in one guild (instant; for development) or globally.
pub async fn register(http: &Http, guild: Option<GuildId>) -> serenity::Result<()> {
    match guild {
        Some(guild) => guild.set_commands(http, all()).await.map(drop),
        None => serenity::all::Command::set_global_commands(http, all())
            .await
            .map(drop),
    }
}
