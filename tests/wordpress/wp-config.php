<?php
/**
 * WordPress configuration for the blogcorpus test tier.
 *
 * run.sh copies this file into a throwaway WordPress root (symlinks to Debian's tree plus this
 * file and a private wp-content), so neither /etc/wordpress nor the system database is touched.
 * Everything it needs comes from the environment that run.sh exports.
 */

define( 'DB_NAME', getenv( 'BLOGCORPUS_WP_DB_NAME' ) ?: 'blogcorpus_wp' );
define( 'DB_USER', getenv( 'BLOGCORPUS_WP_DB_USER' ) ?: 'blogcorpus' );
define( 'DB_PASSWORD', getenv( 'BLOGCORPUS_WP_DB_PASSWORD' ) ?: 'blogcorpus' );
// "localhost:/path/to/socket" makes mysqli use the private MariaDB's unix socket.
define( 'DB_HOST', 'localhost:' . getenv( 'BLOGCORPUS_WP_DB_SOCKET' ) );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

// Fixed salts: this blog lives for one test run on loopback and must render the same each time.
foreach ( array( 'AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE' ) as $blogcorpus_kind ) {
	define( $blogcorpus_kind . '_KEY', 'blogcorpus-test-' . $blogcorpus_kind . '-key' );
	define( $blogcorpus_kind . '_SALT', 'blogcorpus-test-' . $blogcorpus_kind . '-salt' );
}

$table_prefix = 'wp_';

// No outgoing traffic at all: no cron (it would send pingbacks to the links in the posts), no
// update checks, no HTTP request to anything but this machine.
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );

define( 'WP_DEBUG', false );
define( 'WP_DEBUG_DISPLAY', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', rtrim( getenv( 'BLOGCORPUS_WP_ROOT' ), '/' ) . '/' );
}
define( 'WP_CONTENT_DIR', ABSPATH . 'wp-content' );

require_once ABSPATH . 'wp-settings.php';
