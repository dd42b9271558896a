//! Discord's size limits, named once. Plain numbers (no serenity type), so that the
//! core can keep FAQs within what Discord will show (an FAQ question becomes an embed
//! title, its answer the description) and the Discord front end can cut what it sends.
//! Counted in characters (Unicode scalar values), as Discord counts them.
//!
//! Not here, because they are not Discord's: how long a question typed into `/ask` may
//! be (`discord::commands::TYPED_QUESTION_MAX_CHARS`) and how much of a question the
//! matcher reads (`matcher.max_question_chars`, a setting).

/// A message's `content`.
pub const MESSAGE_CONTENT_CHARS: usize = 2000;
/// An embed's title.
pub const EMBED_TITLE_CHARS: usize = 256;
/// An embed's description.
pub const EMBED_DESCRIPTION_CHARS: usize = 4096;
/// One embed field's value.
pub const EMBED_FIELD_VALUE_CHARS: usize = 1024;
/// An embed footer's text.
pub const EMBED_FOOTER_CHARS: usize = 2048;
/// Title, description, field names and values, footer and author of all embeds of a
/// message together.
pub const EMBED_TOTAL_CHARS: usize = 6000;
/// Fields in one embed.
pub const EMBED_FIELDS: usize = 25;
/// Buttons in one action row.
pub const BUTTONS_PER_ROW: usize = 5;
/// Action rows in one message.
pub const ACTION_ROWS: usize = 5;
/// A component's `custom_id`.
pub const CUSTOM_ID_CHARS: usize = 100;
/// A button's label.
pub const BUTTON_LABEL_CHARS: usize = 80;
/// Options in one select menu.
pub const SELECT_OPTIONS: usize = 25;
/// A select menu option's label (and its value, and the menu's placeholder: 150).
pub const SELECT_OPTION_LABEL_CHARS: usize = 100;
/// Choices in one autocomplete response.
pub const AUTOCOMPLETE_CHOICES: usize = 25;
/// An autocomplete (or command option) choice's name.
pub const CHOICE_NAME_CHARS: usize = 100;
/// A slash command's (or option's) name.
pub const COMMAND_NAME_CHARS: usize = 32;
/// A slash command's (or option's) description.
pub const COMMAND_DESCRIPTION_CHARS: usize = 100;
/// Tags applied to one forum post (a thread's `applied_tags`).
pub const THREAD_TAGS: usize = 5;
