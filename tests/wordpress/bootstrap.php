<?php
/**
 * Loads the test WordPress for a command-line script (seed, configure, dump_truth, add_more).
 *
 * ABSPATH is defined before wp-load.php so WordPress reads our wp-config.php from the throwaway
 * root instead of Debian's, which would look for /etc/wordpress/config-<host>.php.
 */

$blogcorpus_root = getenv( 'BLOGCORPUS_WP_ROOT' );
$blogcorpus_url  = getenv( 'BLOGCORPUS_WP_URL' );
if ( ! $blogcorpus_root || ! $blogcorpus_url ) {
	fwrite( STDERR, "BLOGCORPUS_WP_ROOT and BLOGCORPUS_WP_URL must be set (run tests/wordpress/run.sh)\n" );
	exit( 2 );
}
define( 'ABSPATH', rtrim( $blogcorpus_root, '/' ) . '/' );

// WordPress derives the host from the request; give the CLI the same one the server has.
$blogcorpus_parts           = parse_url( $blogcorpus_url );
$_SERVER['HTTP_HOST']       = $blogcorpus_parts['host'] . ( isset( $blogcorpus_parts['port'] ) ? ':' . $blogcorpus_parts['port'] : '' );
$_SERVER['SERVER_NAME']     = $blogcorpus_parts['host'];
$_SERVER['SERVER_PORT']     = (string) ( $blogcorpus_parts['port'] ?? 80 );
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';

if ( defined( 'BLOGCORPUS_INSTALLING' ) ) {
	define( 'WP_INSTALLING', true );
}
require_once ABSPATH . 'wp-load.php';

// Never send mail (wp_install announces the new blog by mail).
add_filter( 'pre_wp_mail', '__return_false' );
